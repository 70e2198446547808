/*
 * cli.h - the godwit program: argument parsing and rendering only.  Every
 * command is one libgodwit call; nothing here decides anything about
 * migrations.
 */
#ifndef GODWIT_CLI_H
#define GODWIT_CLI_H

#include <pthread.h>
#include <stdio.h>

#include "godwit.h"

/* Exit codes, documented in godwit(1); stable. */
#define EXIT_OK       0
#define EXIT_FAIL     1
#define EXIT_USAGE    2
#define EXIT_PENDING  3
#define EXIT_CONFLICT 4
#define EXIT_LOCKED   5

/* --color: on a terminal without NO_COLOR (auto), or always, or never. */
enum { COLOR_AUTO = 0, COLOR_ALWAYS, COLOR_NEVER };

/* Command-specific options, as bits of command.local. */
#define LOCAL_CHECK          0x1
#define LOCAL_FORMAT         0x2
#define LOCAL_OUT_OF_ORDER   0x4
#define LOCAL_IGNORE_MISSING 0x8
#define LOCAL_TIMEOUT        0x10
#define LOCAL_WAIT           0x20
#define LOCAL_RESUME         0x40
#define LOCAL_MARK_APPLIED   0x80
#define LOCAL_MARK_REVERTED  0x100
#define LOCAL_SQL            0x200
#define LOCAL_BACKEND        0x400
#define LOCAL_FROM           0x800
#define LOCAL_STRICT         0x1000
#define LOCAL_SCRATCH        0x2000
#define LOCAL_HISTORY        0x4000
#define LOCAL_DROP_SOURCE    0x8000
#define LOCAL_FLEET          0x10000
#define LOCAL_JOBS           0x20000
#define LOCAL_FAIL_FAST      0x40000
#define LOCAL_LAST           LOCAL_FAIL_FAST
#define LOCAL_SCRIPT         (LOCAL_SQL | LOCAL_BACKEND | LOCAL_FROM)

struct cli;

typedef struct command {
    const char *name;
    int (*run)(struct cli *c);
    int min_args, max_args;
    unsigned local;      /* LOCAL_* options it accepts */
    const char *usage;   /* "up [TARGET]" */
    const char *summary; /* one line */
    const char *help;    /* the rest of "godwit help COMMAND" */
} command;

typedef struct cli {
    godwit_options opts;
    godwit *g;
    const command *cmd;
    char **args; /* the command's arguments */
    int nargs;
    unsigned local; /* LOCAL_* options given */
    int verbose, quiet, help, version;
    int json;            /* --format json */
    double timeout;      /* --timeout, for wait and up --wait */
    const char *backend; /* --backend, with --sql */
    const char *from;    /* --from: with --sql a version, for import a
                            tool */
    const char *scratch; /* --scratch, for diff */
    const char **urls;   /* every --url given, for verify, diff and a
                            fleet; the array is main's to free */
    int nurls;
    const char *fleet;    /* --fleet FILE ("-": standard input) */
    int jobs;             /* -j: fleet targets at a time */
    int color;            /* --color: COLOR_AUTO, _ALWAYS or _NEVER */
    int color_out;        /* colour on stdout */
    int color_err;        /* colour on stderr */
    int events;           /* progress events seen */
    pthread_mutex_t lock; /* guards g and signal against signals.c, and
                             tick and stdout against ticker.c */
    struct {
        int on;          /* the ticker runs: a terminal, no -q */
        long started;    /* when the running step began (ms), or 0 */
        int drawn;       /* its line shows an elapsed time */
        char line[512];  /* "applying 0042_backfill ... " */
        char detail[48]; /* "3/7", or "" */
    } tick;
    int signal;    /* SIGINT or SIGTERM received, or 0 */
    godwit **busy; /* the fleet's handles at work, one slot per job
                      (NULL: idle), interrupted with g; fleet.c's */
    int nbusy;
} cli;

/* options.c: parses argv into c; returns -1 after printing a usage error.
 * c->cmd is NULL when no command was given. */
int cli_parse(cli *c, int argc, char **argv);

/* options.c: the command table. */
const command *cli_command(const char *name);
const command *cli_commands(void);

/* help.c */
void cli_usage(FILE *f);
void cli_command_help(FILE *f, const command *cmd);

/* main.c: the commands, one library call each. */
int cmd_new(cli *c);
int cmd_import(cli *c);
int cmd_embed(cli *c);
int cmd_show(cli *c);
int cmd_up(cli *c);
int cmd_down(cli *c);
int cmd_redo(cli *c);
int cmd_goto(cli *c);
int cmd_status(cli *c);
int cmd_history(cli *c);
int cmd_current(cli *c);
int cmd_validate(cli *c);
int cmd_wait(cli *c);
int cmd_stamp(cli *c);
int cmd_dump(cli *c);
int cmd_verify(cli *c);
int cmd_diff(cli *c);
int cmd_repair(cli *c);
int cmd_backends(cli *c);
int cmd_help(cli *c);

/* fleet.c: up and status on every target of --fleet FILE or several
 * --url, -j at a time, each in a handle of its own; a line per target,
 * then a summary.  cli_fleet_wanted: 1 when c asks for a fleet, 0 when
 * not, -1 after saying what is wrong (a usage error). */
int cli_fleet_wanted(const cli *c);
int cli_fleet(cli *c);

/* signals.c: SIGINT and SIGTERM are taken by a thread of their own, which
 * interrupts the handle in use (godwit_interrupt); a second one exits at
 * once.  cli_signals_start blocks them in the calling thread first (call
 * it before any other thread starts, c->lock initialised); cli_use makes
 * g the handle to interrupt (NULL: none) and returns the previous one. */
int cli_signals_start(cli *c);
godwit *cli_use(cli *c, godwit *g);

/* signals.c: puts g (NULL: none) in the fleet's slot of c->busy, to be
 * interrupted by a signal; g is interrupted at once if one came.  Takes
 * c->lock. */
void cli_use_slot(cli *c, int slot, godwit *g);

/* ticker.c: a live elapsed time on a long step's line, on a terminal.
 * begin prints the line ("applying X ... ") and starts the clock, detail
 * (GODWIT_EVENT_STATEMENT's "3/7") adds "3 of 7 statements done", end puts the
 * line back as it was and appends the result ("ok (12.4 s)\n").  start (once,
 * after cli_signals_start) runs the ticking thread when stdout is a terminal
 * and not -q. */
void cli_ticker_start(cli *c);
void cli_ticker_begin(cli *c, const char *line);
void cli_ticker_detail(cli *c, const char *detail);
void cli_ticker_end(cli *c, const char *result);

/* The exit code for a signal: 128 + its number, as shells report it. */
#define EXIT_SIGNAL(sig) (128 + (sig))

/* render.c */

/* Colours, where on: cli_paint(c->color_out, RED) ... cli_paint(.., RESET);
 * "" where not. */
#define RED    "\033[31m"
#define GREEN  "\033[32m"
#define YELLOW "\033[33m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"
const char *cli_paint(int on, const char *color);

/* Writes s (NULL: nothing) to f with C0 and C1 control characters escaped
 * as \n, \t, \xHH or \uHHHH, then blanks up to width bytes; returns how
 * many bytes it wrote before the blanks.  All human output of text from
 * files or databases goes through it. */
int cli_text(FILE *f, const char *s, int width);

void cli_progress(const godwit_event *ev, void *ctx);
void cli_error(const cli *c, const char *fmt, ...);
void cli_settings(const cli *c);
void cli_status(const cli *c, const godwit_status *s);

/* Entry i of a status as a JSON object, as status --format json has it. */
void cli_json_entry(const godwit_status *s, size_t i);

/* Says why a library call failed; its exit code. */
int cli_failed(cli *c, int rc);

/* main.c: the exit code for a library call's result. */
int cli_exit_code(int rc);

/* s (n bytes of it, or NULL as null) as a JSON string on stdout. */
void cli_json_strn(const char *s, size_t n);
void cli_json_string(const char *s);

/* A diff's text as it is, or with --format json grouped by object. */
void cli_diff(const cli *c, const char *text);
void cli_history(const cli *c, const godwit_status *s);
void cli_backend(const godwit_backend_info *b, void *ctx);

#endif
