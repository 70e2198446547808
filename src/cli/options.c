/* options.c - godwit's command line: global options before or after the
 * command, command options only where they belong. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define SCRIPT_HELP                                                            \
    "\n"                                                                       \
    "  --sql                 print the exact SQL instead of running it\n"      \
    "  --backend NAME        with --sql: render for NAME, no connection\n"     \
    "  --from VERSION        with --sql: assume VERSION is applied, no\n"      \
    "                        connection (default without one: base)\n"

#define FLEET_HELP                                                             \
    "  --fleet FILE          every target in FILE, one per line: a URL, or\n"  \
    "                        schema=NAME for a schema of --url's database\n"   \
    "                        (several --url make a fleet too)\n"               \
    "  -j, --jobs N          with a fleet: N targets at a time (default: 1)\n"

static const command commands[] = {
    {"new", cmd_new, 1, 1, 0, "new NAME", "create the next migration file",
     "Creates <dir>/<version>_<name>.sql with an up and a down section.\n"
     "The version continues the directory's style: the next sequential\n"
     "number (0001, 0002, ...) or a UTC timestamp (20261122093000).\n"},
    {"import", cmd_import, 0, 1,
     LOCAL_FROM | LOCAL_HISTORY | LOCAL_DROP_SOURCE | LOCAL_SQL |
         LOCAL_IGNORE_MISSING,
     "import --from TOOL [SRC-DIR] [--history]",
     "write another tool's migrations as godwit files",
     "Reads the migration set of TOOL in SRC-DIR (default: the current\n"
     "directory) and writes it into --dir, which must hold no migrations.\n"
     "TOOL is golang-migrate, dbmate, goose, sqlx, diesel or flyway.  The\n"
     "SQL of every section is kept byte for byte; only the headers change\n"
     "(a no-transaction flag becomes transaction=off; no down, an\n"
     "irreversible migration), and each file's first line names the files\n"
     "it came from.  Where godwit's numeric order of the versions would\n"
     "differ from the tool's (versions of mixed lengths ordered as text, a\n"
     "version shared by two files, Flyway's 1.2 before 1.10), every file is\n"
     "renumbered 0001, 0002, ... in the tool's order and says its old\n"
     "version; every file written is printed, and what has no counterpart\n"
     "(Flyway's repeatable and callback scripts) is listed.  Nothing is\n"
     "written if any file cannot be imported as it is.\n"
     "\n"
     "With --history, also adopts TOOL's history table in the database\n"
     "(after writing the files, when SRC-DIR is given; else for the files\n"
     "already in --dir): every imported migration the table says is\n"
     "applied is recorded as applied, one it recorded as failed half-way\n"
     "(a dirty golang-migrate version, a failed sqlx or Flyway row) as\n"
     "interrupted, with the reason, in one transaction; godwit's history\n"
     "must be empty.  TOOL's table is left as it is.\n"
     "\n"
     "  --from TOOL            the tool whose files SRC-DIR holds\n"
     "  --history              adopt TOOL's history table too\n"
     "  --sql                  with --history: print the SQL, run nothing\n"
     "  --ignore-missing       with --history: leave out versions TOOL\n"
     "                         applied that no file has (else refused)\n"
     "  --drop-source-history  with --history: drop TOOL's table after\n"},
    {"show", cmd_show, 1, 1, LOCAL_FORMAT | LOCAL_SQL, "show VERSION",
     "show one migration: its file, state and sections",
     "VERSION is a version, head (the newest file) or current (the newest\n"
     "applied).  Prints the file, its checksum, its state (applied when, by\n"
     "whom, how long; or pending, changed, interrupted with why), and its\n"
     "sections with their flags, marking those this URL's backend runs.\n"
     "\n"
     "  --sql          also the SQL of the up and down this backend runs\n"
     "  --format json  print JSON instead\n"},
    {"embed", cmd_embed, 0, 0, 0, "embed",
     "print the migration set as C source, for a program to embed",
     "Writes to standard output a C file that holds every migration of\n"
     "--dir, checked as a command reads them, with its checksum: a\n"
     "godwit_embedded named godwit_embedded_set.  A program built with it\n"
     "sets godwit_options.embedded = &godwit_embedded_set and needs no\n"
     "files; it applies the same migrations with the same checksums as the\n"
     "directory.  Make it again whenever a migration changes (see\n"
     "libgodwit(3) for a Makefile rule).\n"},
    {"up", cmd_up, 0, 1,
     LOCAL_OUT_OF_ORDER | LOCAL_IGNORE_MISSING | LOCAL_WAIT | LOCAL_TIMEOUT |
         LOCAL_SCRIPT | LOCAL_FLEET | LOCAL_JOBS | LOCAL_FAIL_FAST |
         LOCAL_FORMAT,
     "up [TARGET]", "apply pending migrations (default: all)",
     "TARGET is head (the default), a version, or +N for the next N.\n"
     "Each migration runs in its own transaction with its history row;\n"
     "the first failure rolls that migration back and stops the run.\n"
     "\n"
     "With a fleet (--fleet FILE or several --url), migrates every target,\n"
     "each with its own lock and history, -j at a time, printing a line per\n"
     "target as it ends and a summary; one target failing does not stop the\n"
     "others (unless --fail-fast), and exit is 1 if any failed.\n"
     "\n"
     "  --allow-out-of-order  apply pending migrations older than the\n"
     "                        newest applied one\n"
     "  --ignore-missing      go on when applied migrations have no file\n"
     "  --wait                first wait for the database, as godwit wait\n"
     "  --timeout SECONDS     how long --wait waits (default: "
     "60)\n" FLEET_HELP
     "  --fail-fast           with a fleet: start no target after one "
     "failed\n"
     "  --format json         with a fleet: every target's result as "
     "JSON\n" SCRIPT_HELP},
    {"down", cmd_down, 0, 1, LOCAL_IGNORE_MISSING | LOCAL_SCRIPT,
     "down [TARGET]", "revert applied migrations (default: the last one)",
     "TARGET is -N (default -1), a version to revert down to (it stays\n"
     "applied), or base to revert everything.  A migration without a down\n"
     "section is irreversible: down refuses it and reverts nothing.\n"
     "\n"
     "  --ignore-missing      go on when applied migrations have no "
     "file\n" SCRIPT_HELP},
    {"redo", cmd_redo, 0, 0, LOCAL_IGNORE_MISSING | LOCAL_SCRIPT, "redo",
     "revert the last applied migration and apply it again", SCRIPT_HELP},
    {"goto", cmd_goto, 1, 1,
     LOCAL_OUT_OF_ORDER | LOCAL_IGNORE_MISSING | LOCAL_SCRIPT, "goto VERSION",
     "move up or down to exactly VERSION",
     "Afterwards every migration up to VERSION is applied and none after\n"
     "it.\n" SCRIPT_HELP},
    {"status", cmd_status, 0, 0,
     LOCAL_CHECK | LOCAL_FORMAT | LOCAL_FLEET | LOCAL_JOBS, "status",
     "show every migration: applied, pending, changed or missing",
     "With a fleet (--fleet FILE or several --url), one line per target:\n"
     "its current version and what is pending or needs attention.\n"
     "\n"
     "  --check        exit 3 when anything is pending, changed, missing or\n"
     "                 interrupted\n"
     "  --format json  print JSON instead of a table\n" FLEET_HELP},
    {"history", cmd_history, 0, 0, LOCAL_FORMAT, "history",
     "show applied migrations: when, how long, by whom",
     "  --format json  print JSON instead of a table\n"},
    {"current", cmd_current, 0, 0, 0, "current",
     "print the current version (base when nothing is applied)", ""},
    {"validate", cmd_validate, 0, 0, LOCAL_IGNORE_MISSING, "validate",
     "check history against the files; change nothing",
     "Fails with exit 4 when an applied migration's file is missing or\n"
     "changed, or a pending migration is older than the newest applied;\n"
     "with exit 1 when a section's SQL has an unterminated quote, dollar\n"
     "body or comment (up and down check only the sections they run).\n"},
    {"stamp", cmd_stamp, 1, 1, LOCAL_SCRIPT, "stamp TARGET",
     "record migrations as applied without running them",
     "Afterwards exactly the migrations up to TARGET (head, base or a\n"
     "version) are recorded as applied; nothing runs.  Adopts a database\n"
     "made by hand or by another tool; stamp base clears the record.\n"
     "Prints every record made or removed.\n" SCRIPT_HELP},
    {"repair", cmd_repair, 0, 0,
     LOCAL_RESUME | LOCAL_MARK_APPLIED | LOCAL_MARK_REVERTED, "repair",
     "re-record changed checksums; resolve interrupted migrations",
     "With no option, re-records the checksums of applied migrations whose\n"
     "files were edited on purpose, printing each one.  For a\n"
     "transaction=off migration that stopped part way (status says\n"
     "interrupted):\n"
     "\n"
     "  --resume         run it on from the statement that stopped it,\n"
     "                   reading the file as it is now\n"
     "  --mark-applied   record it as applied (you finished it by hand)\n"
     "  --mark-reverted  remove its record (you undid it by hand)\n"},
    {"verify", cmd_verify, 0, 0, LOCAL_STRICT, "verify",
     "prove every migration applies, reverts and re-applies cleanly",
     "On a scratch database, for each migration in order: snapshot the\n"
     "schema, apply it, run its verify section, snapshot, revert it and\n"
     "compare with the first snapshot, apply it again and compare with the\n"
     "second.  The first difference fails (exit 1) naming the migration and\n"
     "the objects that differ; a changed column order alone is a warning.\n"
     "Irreversible migrations are applied and reported, not reverted.\n"
     "\n"
     "The scratch database is SQLite in memory unless --url is given; give\n"
     "--url several times to verify on several databases in one run.  On\n"
     "PostgreSQL a schema, on MySQL a database, is created for the run and\n"
     "dropped afterwards; other databases must be empty.\n"
     "\n"
     "  --strict       a changed column order fails too\n"},
    {"diff", cmd_diff, 0, 0, LOCAL_SCRATCH | LOCAL_FORMAT, "diff",
     "compare the schema with what its history says it should be",
     "Replays the applied migrations, in order, on a scratch database and\n"
     "compares its dump with the database's: one line per difference,\n"
     "\"- LINE\" for what the history makes and the database lacks, \"+ "
     "LINE\"\n"
     "for what only the database has (a hotfix made by hand).  Exits 3 when\n"
     "they differ, 0 when not.  With --url twice, compares the two\n"
     "databases instead (the first as -, the second as +).\n"
     "\n"
     "  --scratch URL  the empty database to replay in (default: SQLite in\n"
     "                 memory for SQLite; on a server, a scratch database\n"
     "                 made and dropped beside the URL's, or a scratch\n"
     "                 schema when the role may not create databases)\n"
     "  --format json  the differences grouped by object: {\"different\",\n"
     "                 \"objects\": [{\"object\", \"removed\", \"added\"}]}\n"},
    {"dump", cmd_dump, 0, 0, 0, "dump",
     "print the schema, read from the database's catalogs",
     "One line per fact (table, column, constraint, index, view, trigger,\n"
     "and on PostgreSQL sequence, enum type and function), sorted, the\n"
     "history table left out: two dumps of one database are identical, and\n"
     "two databases compare with diff(1).\n"},
    {"wait", cmd_wait, 0, 0, LOCAL_TIMEOUT, "wait",
     "wait until the database accepts connections",
     "Retries with exponential backoff (100 ms doubling, at most 2 s apart);\n"
     "-v prints each failed attempt.  Exits 1 with the last error when the\n"
     "timeout passes.\n"
     "\n"
     "  --timeout SECONDS     how long to wait (default: 60)\n"},
    {"backends", cmd_backends, 0, 0, 0, "backends",
     "list the backend plugins found and where they came from", ""},
    {"help", cmd_help, 0, 1, 0, "help [COMMAND]", "describe a command", ""},
    {NULL, NULL, 0, 0, 0, NULL, NULL, NULL}};

const command *cli_commands(void)
{
    return commands;
}

const command *cli_command(const char *name)
{
    const command *cmd;

    for (cmd = commands; cmd->name != NULL; cmd++)
        if (strcmp(cmd->name, name) == 0)
            return cmd;
    return NULL;
}

enum {
    OPT_TABLE = 256,
    OPT_SCHEMA,
    OPT_BACKEND_PATH,
    OPT_LOCK_TIMEOUT,
    OPT_VERSION,
    OPT_CHECK,
    OPT_FORMAT,
    OPT_OUT_OF_ORDER,
    OPT_IGNORE_MISSING,
    OPT_TIMEOUT,
    OPT_WAIT,
    OPT_RESUME,
    OPT_MARK_APPLIED,
    OPT_MARK_REVERTED,
    OPT_SQL,
    OPT_BACKEND,
    OPT_FROM,
    OPT_STRICT,
    OPT_SCRATCH,
    OPT_LOCK_RETRIES,
    OPT_HISTORY,
    OPT_DROP_SOURCE,
    OPT_COLOR,
    OPT_FLEET,
    OPT_FAIL_FAST
};

static const struct option longopts[] = {
    {"url", required_argument, NULL, 'u'},
    {"dir", required_argument, NULL, 'd'},
    {"config", required_argument, NULL, 'c'},
    {"table", required_argument, NULL, OPT_TABLE},
    {"schema", required_argument, NULL, OPT_SCHEMA},
    {"backend-path", required_argument, NULL, OPT_BACKEND_PATH},
    {"lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT},
    {"lock-retries", required_argument, NULL, OPT_LOCK_RETRIES},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"check", no_argument, NULL, OPT_CHECK},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"allow-out-of-order", no_argument, NULL, OPT_OUT_OF_ORDER},
    {"ignore-missing", no_argument, NULL, OPT_IGNORE_MISSING},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"wait", no_argument, NULL, OPT_WAIT},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"mark-applied", no_argument, NULL, OPT_MARK_APPLIED},
    {"mark-reverted", no_argument, NULL, OPT_MARK_REVERTED},
    {"sql", no_argument, NULL, OPT_SQL},
    {"backend", required_argument, NULL, OPT_BACKEND},
    {"from", required_argument, NULL, OPT_FROM},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"scratch", required_argument, NULL, OPT_SCRATCH},
    {"history", no_argument, NULL, OPT_HISTORY},
    {"drop-source-history", no_argument, NULL, OPT_DROP_SOURCE},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"fleet", required_argument, NULL, OPT_FLEET},
    {"jobs", required_argument, NULL, 'j'},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {NULL, 0, NULL, 0}};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "godwit: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "; see godwit --help\n");
    return -1;
}

/* Seconds, >= 0, for the option named opt. */
static int parse_seconds(const char *opt, const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);

    if (end == arg || *end != '\0' || !(v >= 0)) {
        fprintf(stderr,
                "godwit: %s: \"%s\" is not a number of seconds; "
                "see godwit --help\n",
                opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

/* A count of retries, 0 to 1000. */
static int parse_retries(const char *arg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);

    if (end == arg || *end != '\0' || v < 0 || v > 1000)
        return usage_error("--lock-retries: \"%s\" is not a number from 0 to "
                           "1000",
                           arg);
    *out = (int)v;
    return 0;
}

/* -j: 1 to 256 targets at a time. */
static int parse_jobs(const char *arg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);

    if (end == arg || *end != '\0' || v < 1 || v > 256)
        return usage_error("-j: \"%s\" is not a number from 1 to 256", arg);
    *out = (int)v;
    return 0;
}

/* --url: the last one is the URL; all of them are kept, in order. */
static int add_url(cli *c, const char *arg)
{
    const char **urls =
        realloc(c->urls, (size_t)(c->nurls + 1) * sizeof(*urls));

    if (urls == NULL)
        return usage_error("%s", "out of memory");
    c->urls = urls;
    c->urls[c->nurls++] = arg;
    c->opts.url = arg;
    return 0;
}

static int parse_color(cli *c, const char *arg)
{
    if (strcmp(arg, "always") == 0)
        c->color = COLOR_ALWAYS;
    else if (strcmp(arg, "never") == 0)
        c->color = COLOR_NEVER;
    else if (strcmp(arg, "auto") == 0)
        c->color = COLOR_AUTO;
    else
        return usage_error("--color: \"%s\" is not auto, always or never", arg);
    return 0;
}

static int parse_format(cli *c, const char *arg)
{
    if (strcmp(arg, "json") == 0)
        c->json = 1;
    else if (strcmp(arg, "text") != 0)
        return usage_error("--format: \"%s\" is not text or json", arg);
    c->local |= LOCAL_FORMAT;
    return 0;
}

static int option(cli *c, int ch, const char *arg)
{
    switch (ch) {
    case 'u': return add_url(c, arg);
    case 'j': c->local |= LOCAL_JOBS; return parse_jobs(arg, &c->jobs);
    case OPT_FLEET:
        c->local |= LOCAL_FLEET;
        c->fleet = arg;
        return 0;
    case OPT_FAIL_FAST: c->local |= LOCAL_FAIL_FAST; return 0;
    case 'd': c->opts.dir = arg; return 0;
    case 'c': c->opts.config_file = arg; return 0;
    case OPT_TABLE: c->opts.table = arg; return 0;
    case OPT_SCHEMA: c->opts.schema = arg; return 0;
    case OPT_BACKEND_PATH: c->opts.backend_path = arg; return 0;
    case OPT_LOCK_TIMEOUT:
        return parse_seconds("--lock-timeout", arg, &c->opts.lock_timeout);
    case OPT_LOCK_RETRIES: return parse_retries(arg, &c->opts.lock_retries);
    case OPT_TIMEOUT:
        c->local |= LOCAL_TIMEOUT;
        return parse_seconds("--timeout", arg, &c->timeout);
    case OPT_WAIT: c->local |= LOCAL_WAIT; return 0;
    case OPT_RESUME: c->local |= LOCAL_RESUME; return 0;
    case OPT_MARK_APPLIED: c->local |= LOCAL_MARK_APPLIED; return 0;
    case OPT_MARK_REVERTED: c->local |= LOCAL_MARK_REVERTED; return 0;
    case OPT_SQL: c->local |= LOCAL_SQL; return 0;
    case OPT_BACKEND:
        c->local |= LOCAL_BACKEND;
        c->backend = arg;
        return 0;
    case OPT_FROM:
        c->local |= LOCAL_FROM;
        c->from = arg;
        return 0;
    case OPT_STRICT:
        c->local |= LOCAL_STRICT;
        c->opts.flags |= GODWIT_OPT_STRICT;
        return 0;
    case OPT_SCRATCH:
        c->local |= LOCAL_SCRATCH;
        c->scratch = arg;
        return 0;
    case OPT_HISTORY: c->local |= LOCAL_HISTORY; return 0;
    case OPT_COLOR: return parse_color(c, arg);
    case OPT_DROP_SOURCE:
        c->local |= LOCAL_DROP_SOURCE;
        c->opts.flags |= GODWIT_OPT_DROP_SOURCE_HISTORY;
        return 0;
    case 'v': c->verbose = 1; return 0;
    case 'q': c->quiet = 1; return 0;
    case 'h': c->help = 1; return 0;
    case OPT_VERSION: c->version = 1; return 0;
    case OPT_CHECK: c->local |= LOCAL_CHECK; return 0;
    case OPT_FORMAT: return parse_format(c, arg);
    case OPT_OUT_OF_ORDER:
        c->local |= LOCAL_OUT_OF_ORDER;
        c->opts.flags |= GODWIT_OPT_ALLOW_OUT_OF_ORDER;
        return 0;
    case OPT_IGNORE_MISSING:
        c->local |= LOCAL_IGNORE_MISSING;
        c->opts.flags |= GODWIT_OPT_IGNORE_MISSING;
        return 0;
    }
    return -1; /* getopt already said what was wrong */
}

static const char *local_name(unsigned bit)
{
    switch (bit) {
    case LOCAL_CHECK: return "--check";
    case LOCAL_FORMAT: return "--format";
    case LOCAL_OUT_OF_ORDER: return "--allow-out-of-order";
    case LOCAL_TIMEOUT: return "--timeout";
    case LOCAL_WAIT: return "--wait";
    case LOCAL_RESUME: return "--resume";
    case LOCAL_MARK_APPLIED: return "--mark-applied";
    case LOCAL_MARK_REVERTED: return "--mark-reverted";
    case LOCAL_SQL: return "--sql";
    case LOCAL_BACKEND: return "--backend";
    case LOCAL_FROM: return "--from";
    case LOCAL_STRICT: return "--strict";
    case LOCAL_SCRATCH: return "--scratch";
    case LOCAL_HISTORY: return "--history";
    case LOCAL_DROP_SOURCE: return "--drop-source-history";
    case LOCAL_FLEET: return "--fleet";
    case LOCAL_JOBS: return "-j";
    case LOCAL_FAIL_FAST: return "--fail-fast";
    default: return "--ignore-missing";
    }
}

static int check_command(cli *c, char **rest, int nrest)
{
    unsigned bit;

    if (nrest == 0)
        return 0;
    if ((c->cmd = cli_command(rest[0])) == NULL)
        return usage_error("unknown command \"%s\"", rest[0]);
    c->args = rest + 1;
    c->nargs = nrest - 1;
    for (bit = 1; bit <= LOCAL_LAST; bit <<= 1)
        if ((c->local & bit) && !(c->cmd->local & bit)) {
            fprintf(stderr,
                    "godwit: %s does not take %s; see godwit help "
                    "%s\n",
                    c->cmd->name, local_name(bit), c->cmd->name);
            return -1;
        }
    if ((c->local & (LOCAL_BACKEND | LOCAL_FROM)) && !(c->local & LOCAL_SQL) &&
        c->cmd->run != cmd_import) {
        fprintf(stderr, "godwit: --backend and --from go with --sql\n");
        return -1;
    }
    if (!c->help &&
        (c->nargs < c->cmd->min_args || c->nargs > c->cmd->max_args)) {
        fprintf(stderr, "godwit: usage: godwit %s\n", c->cmd->usage);
        return -1;
    }
    return 0;
}

static int is_negative_number(const char *s)
{
    if (s[0] != '-' || s[1] < '0' || s[1] > '9')
        return 0;
    for (s++; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/*
 * getopt would take "down -2" for an option: hide each "-N" as "N" (the
 * same string, one byte on) and restore it after parsing.  Pointer
 * identity tells a hidden "-2" from a plain "2".
 */
static void hide_negatives(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (is_negative_number(argv[i]))
            argv[i]++;
}

static void restore_negatives(char **rest, int n, char **orig, int argc)
{
    int i, j;

    for (i = 0; i < n; i++)
        for (j = 1; j < argc; j++)
            if (rest[i] == orig[j] + 1 && orig[j][0] == '-' &&
                is_negative_number(orig[j]))
                rest[i] = orig[j];
}

int cli_parse(cli *c, int argc, char **argv)
{
    char **orig = malloc(((size_t)argc + 1) * sizeof(*orig));
    int ch, rc = 0;

    if (orig == NULL)
        return usage_error("%s", "out of memory");
    memcpy(orig, argv, ((size_t)argc + 1) * sizeof(*orig));
    hide_negatives(argc, argv);
    opterr = 0;
    while (rc == 0 &&
           (ch = getopt_long(argc, argv, ":u:d:c:j:vqh", longopts, NULL)) != -1)
        rc = ch == '?'   ? usage_error("unknown option %s", argv[optind - 1])
             : ch == ':' ? usage_error("%s needs a value", argv[optind - 1])
                         : option(c, ch, optarg);
    if (rc == 0) {
        restore_negatives(argv + optind, argc - optind, orig, argc);
        rc = check_command(c, argv + optind, argc - optind);
    }
    free(orig);
    return rc;
}
