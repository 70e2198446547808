/* main.c - godwit: one library call per command. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_exit_code(int rc)
{
    switch (rc) {
    case GODWIT_OK: return EXIT_OK;
    case GODWIT_EUSAGE: return EXIT_USAGE;
    case GODWIT_ECONFLICT: return EXIT_CONFLICT;
    case GODWIT_ELOCKED: return EXIT_LOCKED;
    default: return EXIT_FAIL;
    }
}

/* Reports a failed library call and returns its exit code. */
int cli_failed(cli *c, int rc)
{
    cli_error(c, "%s", godwit_errmsg(c->g));
    return cli_exit_code(rc);
}

static const char *arg(const cli *c)
{
    return c->nargs > 0 ? c->args[0] : NULL;
}

/* --sql: prints the script the command would run. */
static int script(cli *c, godwit_command cmd)
{
    char *sql;
    int rc = godwit_script(c->g, cmd, arg(c), c->backend, c->from, &sql);

    if (rc < 0)
        return cli_failed(c, rc);
    fputs(sql, stdout);
    free(sql);
    return EXIT_OK;
}

/* Runs a migrating call and says so when there was nothing to do. */
static int migrated(cli *c, int rc, const char *nothing)
{
    if (rc < 0)
        return cli_failed(c, rc);
    if (c->events == 0 && !c->quiet)
        printf("%s\n", nothing);
    return EXIT_OK;
}

int cmd_up(cli *c)
{
    int rc = cli_fleet_wanted(c);

    if (rc != 0)
        return rc < 0 ? EXIT_USAGE : cli_fleet(c);

    if (c->local & LOCAL_SQL)
        return script(c, GODWIT_COMMAND_UP);
    if ((c->local & LOCAL_WAIT) && (rc = godwit_wait(c->g, c->timeout)) < 0)
        return cli_failed(c, rc);
    return migrated(c, godwit_up(c->g, arg(c)), "nothing to apply");
}

int cmd_stamp(cli *c)
{
    if (c->local & LOCAL_SQL)
        return script(c, GODWIT_COMMAND_STAMP);
    return migrated(c, godwit_stamp(c->g, arg(c)), "nothing to record");
}

int cmd_repair(cli *c)
{
    unsigned how =
        c->local & (LOCAL_RESUME | LOCAL_MARK_APPLIED | LOCAL_MARK_REVERTED);
    godwit_repair_mode mode = GODWIT_REPAIR_CHECKSUMS;

    if (how & (how - 1)) {
        cli_error(c, "repair: give one of --resume, --mark-applied and "
                     "--mark-reverted");
        return EXIT_USAGE;
    }
    if (how == LOCAL_RESUME)
        mode = GODWIT_REPAIR_RESUME;
    else if (how == LOCAL_MARK_APPLIED)
        mode = GODWIT_REPAIR_MARK_APPLIED;
    else if (how == LOCAL_MARK_REVERTED)
        mode = GODWIT_REPAIR_MARK_REVERTED;
    return migrated(c, godwit_repair(c->g, mode), "nothing to repair");
}

/* verify on one database, in a handle of its own. */
static int verify_on(cli *c, const char *url)
{
    godwit_options o = c->opts;
    godwit *g, *main_handle;
    int rc;

    o.url = url;
    rc = godwit_open(&g, &o);
    main_handle = cli_use(c, g);
    if (rc == 0) {
        printf("verifying on "); /* the URL as godwit shows it: redacted */
        cli_text(stdout, godwit_setting(g, "url", NULL), 0);
        putchar('\n');
        rc = godwit_verify(g);
    }
    if (rc < 0) {
        cli_error(c, "%s", godwit_errmsg(g));
        rc = cli_exit_code(rc);
    }
    cli_use(c, main_handle);
    godwit_close(g);
    return rc;
}

int cmd_verify(cli *c)
{
    int i, rc = EXIT_OK;

    if (c->nurls == 0)
        return verify_on(c, "sqlite::memory:");
    for (i = 0; i < c->nurls && rc == EXIT_OK; i++)
        rc = verify_on(c, c->urls[i]);
    return rc;
}

/* Prints a diff; exit 3 when there is a difference. */
static int drift(cli *c, godwit *g, int rc, char *text)
{
    if (rc < 0) {
        cli_error(c, "%s", godwit_errmsg(g));
        return cli_exit_code(rc);
    }
    cli_diff(c, text);
    rc = text[0] != '\0' ? EXIT_PENDING : EXIT_OK;
    if (rc == EXIT_OK && !c->quiet && !c->json)
        printf("no difference\n");
    free(text);
    return rc;
}

/* diff --url A --url B: the two databases' schemas. */
static int diff_two(cli *c)
{
    godwit_options o = c->opts;
    godwit *a, *b = NULL, *main_handle;
    char *text = NULL;
    int rc;

    o.url = c->urls[0];
    rc = godwit_open(&a, &o);
    main_handle = cli_use(c, a);
    o.url = c->urls[1];
    if (rc == 0 && (rc = godwit_open(&b, &o)) < 0 && b != NULL) {
        cli_error(c, "%s", godwit_errmsg(b));
    } else {
        if (rc == 0)
            rc = godwit_diff_with(a, b, &text);
        rc = drift(c, a, rc, text);
    }
    cli_use(c, main_handle);
    godwit_close(b);
    godwit_close(a);
    return rc < 0 ? cli_exit_code(rc) : rc;
}

int cmd_diff(cli *c)
{
    const char *scratch = c->scratch;
    const char *url = godwit_setting(c->g, "url", NULL);
    char *text = NULL;
    int rc;

    if (c->nurls >= 2)
        return diff_two(c);
    if (scratch == NULL && url != NULL && strncmp(url, "sqlite:", 7) == 0)
        scratch = "sqlite::memory:";
    rc = godwit_diff(c->g, scratch, &text);
    return drift(c, c->g, rc, text);
}

int cmd_dump(cli *c)
{
    char *text;
    int rc = godwit_dump(c->g, &text);

    if (rc < 0)
        return cli_failed(c, rc);
    fputs(text, stdout);
    free(text);
    return EXIT_OK;
}

int cmd_wait(cli *c)
{
    int rc = godwit_wait(c->g, c->timeout);

    if (rc < 0)
        return cli_failed(c, rc);
    if (!c->quiet)
        printf("the database accepts connections\n");
    return EXIT_OK;
}

int cmd_down(cli *c)
{
    if (c->local & LOCAL_SQL)
        return script(c, GODWIT_COMMAND_DOWN);
    return migrated(c, godwit_down(c->g, arg(c)), "nothing to revert");
}

int cmd_redo(cli *c)
{
    if (c->local & LOCAL_SQL)
        return script(c, GODWIT_COMMAND_REDO);
    return migrated(c, godwit_redo(c->g), "nothing to redo");
}

int cmd_goto(cli *c)
{
    if (c->local & LOCAL_SQL)
        return script(c, GODWIT_COMMAND_GOTO);
    return migrated(c, godwit_goto(c->g, arg(c)), "already there");
}

int cmd_new(cli *c)
{
    char *path;
    int rc = godwit_new(c->g, arg(c), &path);

    if (rc < 0)
        return cli_failed(c, rc);
    printf("created ");
    cli_text(stdout, path, 0);
    putchar('\n');
    free(path);
    return EXIT_OK;
}

int cmd_embed(cli *c)
{
    char *text;
    int rc = godwit_embed(c->g, &text);

    if (rc < 0)
        return cli_failed(c, rc);
    fputs(text, stdout);
    free(text);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
}

int cmd_import(cli *c)
{
    int rc;

    if (c->from == NULL) {
        cli_error(c, "import: say whose files these are with --from TOOL "
                     "(golang-migrate, dbmate, goose, sqlx, diesel or "
                     "flyway)");
        return EXIT_USAGE;
    }
    if (!(c->local & LOCAL_HISTORY) &&
        (c->local & (LOCAL_SQL | LOCAL_DROP_SOURCE | LOCAL_IGNORE_MISSING))) {
        cli_error(c, "import: --sql, --ignore-missing and "
                     "--drop-source-history go with --history");
        return EXIT_USAGE;
    }
    if ((c->local & LOCAL_SQL) && c->nargs > 0) {
        cli_error(c, "import --history --sql prints the history's SQL for "
                     "the files in --dir: import the files first, without "
                     "--sql");
        return EXIT_USAGE;
    }
    if ((c->nargs > 0 || !(c->local & LOCAL_HISTORY)) &&
        (rc = godwit_import(c->g, c->from, c->nargs ? arg(c) : ".")) < 0)
        return cli_failed(c, rc);
    if (!(c->local & LOCAL_HISTORY))
        return EXIT_OK;
    if (c->local & LOCAL_SQL) {
        char *sql;

        if ((rc = godwit_script(c->g, GODWIT_COMMAND_IMPORT_HISTORY, c->from,
                                NULL, NULL, &sql)) < 0)
            return cli_failed(c, rc);
        fputs(sql, stdout);
        free(sql);
        return EXIT_OK;
    }
    return migrated(c, godwit_import_history(c->g, c->from),
                    "nothing in the history to adopt");
}

static int any_pending(const godwit_status *s)
{
    size_t i;

    for (i = 0; i < godwit_status_count(s); i++)
        if (godwit_status_state(s, i) != GODWIT_STATE_APPLIED)
            return 1;
    return 0;
}

int cmd_status(cli *c)
{
    godwit_status *s;
    int rc = cli_fleet_wanted(c);

    if (rc != 0)
        return rc < 0 ? EXIT_USAGE : cli_fleet(c);
    if ((rc = godwit_status_read(c->g, &s)) < 0)
        return cli_failed(c, rc);
    cli_status(c, s);
    rc = (c->local & LOCAL_CHECK) && any_pending(s) ? EXIT_PENDING : EXIT_OK;
    godwit_status_free(s);
    return rc;
}

int cmd_history(cli *c)
{
    godwit_status *s;
    int rc = godwit_history_read(c->g, &s);

    if (rc < 0)
        return cli_failed(c, rc);
    cli_history(c, s);
    godwit_status_free(s);
    return EXIT_OK;
}

int cmd_current(cli *c)
{
    godwit_status *s;
    int rc = godwit_status_read(c->g, &s);

    if (rc < 0)
        return cli_failed(c, rc);
    printf("%s\n",
           godwit_status_current(s) ? godwit_status_current(s) : "base");
    godwit_status_free(s);
    return EXIT_OK;
}

int cmd_validate(cli *c)
{
    int rc = godwit_validate(c->g);

    if (rc < 0)
        return cli_failed(c, rc);
    if (!c->quiet)
        printf("ok: history and migration files agree\n");
    return EXIT_OK;
}

int cmd_backends(cli *c)
{
    int rc = godwit_backends(c->g, cli_backend, c);

    if (rc < 0)
        return cli_failed(c, rc);
    if (c->events == 0) {
        const char *search = godwit_backend_path(c->g);

        printf("no backend plugins found in ");
        cli_text(stdout, search ? search : "(out of memory)", 0);
        printf("; set --backend-path or GODWIT_BACKEND_PATH\n");
    }
    return EXIT_OK;
}

int cmd_help(cli *c)
{
    const command *cmd = arg(c) ? cli_command(arg(c)) : NULL;

    if (arg(c) != NULL && cmd == NULL) {
        cli_error(c, "no command \"%s\"; see godwit --help", arg(c));
        return EXIT_USAGE;
    }
    if (cmd != NULL)
        cli_command_help(stdout, cmd);
    else
        cli_usage(stdout);
    return EXIT_OK;
}

/* Colour on fd: as --color says, or (auto) on a terminal that is not
 * "dumb" unless NO_COLOR is set to something. */
static int wants_color(const cli *c, int fd)
{
    const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

    if (c->color != COLOR_AUTO)
        return c->color == COLOR_ALWAYS;

    return isatty(fd) && (no == NULL || *no == '\0') &&
           !(term != NULL && strcmp(term, "dumb") == 0);
}

/* Closes the handle; after SIGINT or SIGTERM, says so if the library did
 * not (the run had ended) and exits 128 + the signal's number. */
static int finish(cli *c, int rc)
{
    int sig;

    godwit_close(cli_use(c, NULL));
    pthread_mutex_lock(&c->lock);
    sig = c->signal;
    pthread_mutex_unlock(&c->lock);
    if (sig == 0)
        return rc;
    if (rc == EXIT_OK)
        cli_error(c, "%s came as the command ended; all of it was done",
                  sig == SIGINT ? "SIGINT" : "SIGTERM");
    return EXIT_SIGNAL(sig);
}

static int run(cli *c)
{
    godwit *g;
    int rc;

    if (c->version) {
        printf("godwit %s\nbackend ABI %u, plugins in %s\n", godwit_version(),
               godwit_backend_abi(), godwit_backend_dir());
        return EXIT_OK;
    }
    if (c->cmd == NULL || (c->help && c->cmd == cli_command("help"))) {
        cli_usage(c->help ? stdout : stderr);
        return c->help ? EXIT_OK : EXIT_USAGE;
    }
    if (c->help) {
        cli_command_help(stdout, c->cmd);
        return EXIT_OK;
    }
    rc = godwit_open(&g, &c->opts);
    cli_use(c, g);
    if (rc < 0)
        return c->g ? cli_failed(c, rc) : EXIT_FAIL;
    if (c->verbose)
        cli_settings(c);
    return c->cmd->run(c);
}

int main(int argc, char **argv)
{
    godwit_options defaults = GODWIT_OPTIONS_INIT;
    cli c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.opts = defaults;
    c.opts.flags = GODWIT_OPT_ENV | GODWIT_OPT_OWN_PROCESS;
    c.opts.progress = cli_progress;
    c.opts.progress_ctx = &c;
    c.timeout = 60;
    if (cli_parse(&c, argc, argv) < 0) {
        free(c.urls);
        return EXIT_USAGE;
    }
    c.color_out = wants_color(&c, STDOUT_FILENO);
    c.color_err = wants_color(&c, STDERR_FILENO);
    pthread_mutex_init(&c.lock, NULL);
    if (cli_signals_start(&c) < 0)
        cli_error(&c, "cannot watch for SIGINT and SIGTERM; they will end "
                      "godwit without a word");
    cli_ticker_start(&c);
    rc = finish(&c, run(&c));
    free(c.urls);
    return rc;
}
