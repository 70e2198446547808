/* help.c - godwit --help and godwit help COMMAND. */
#include <string.h>

#include "cli.h"

static const char global_options[] =
    "Options (before or after the command):\n"
    "  -u, --url URL            database URL (sqlite:app.db, "
    "sqlite:///abs.db,\n"
    "                           sqlite::memory:, postgres://..., "
    "mysql://...)\n"
    "  -d, --dir DIR            migration directory (default: migrations)\n"
    "  -c, --config FILE        configuration file (default: godwit.conf)\n"
    "      --table NAME         history table (default: godwit_migrations)\n"
    "      --schema NAME        history schema and search_path (PostgreSQL),\n"
    "                           history and default database (MySQL)\n"
    "      --backend-path DIRS  colon-separated plugin directories to search\n"
    "                           first\n"
    "      --lock-timeout SECS  how long to wait for another migrator, and on\n"
    "                           PostgreSQL and MySQL for each statement's "
    "locks\n"
    "                           (default: 30)\n"
    "      --lock-retries N     retry a migration that a lock timeout rolled\n"
    "                           back, up to N times with backoff (default: 0)\n"
    "  -v, --verbose            say where each setting came from\n"
    "  -q, --quiet              no progress lines\n"
    "      --color WHEN         colour: auto (on a terminal, unless NO_COLOR\n"
    "                           is set), always or never\n"
    "  -h, --help               this help; godwit COMMAND --help for one\n"
    "      --version            print the version, the backend ABI and the\n"
    "                           plugin directory\n";

static const char settings[] =
    "Settings, highest precedence first: command line, GODWIT_DATABASE_URL,\n"
    "DATABASE_URL, godwit.conf (key = value, ${VAR} expanded), defaults.\n"
    "\n"
    "Exit codes: 0 success, 1 failure (SQL, connection, I/O), 2 usage error,\n"
    "3 status --check found pending work or diff a difference, 4 state\n"
    "conflict (changed or missing file, out of order, interrupted), 5 lock\n"
    "timeout, 130 and 143 interrupted by SIGINT and SIGTERM (the running\n"
    "migration is cancelled and rolled back; a second signal exits at\n"
    "once).\n";

void cli_usage(FILE *f)
{
    const command *cmd;

    fprintf(f, "usage: godwit [options] COMMAND [args]\n\n"
               "Schema migrations in plain SQL, for SQLite and PostgreSQL.\n\n"
               "Commands:\n");
    for (cmd = cli_commands(); cmd->name != NULL; cmd++)
        if (strlen(cmd->usage) > 16) /* the summary on a line of its own */
            fprintf(f, "  %s\n  %-16s %s\n", cmd->usage, "", cmd->summary);
        else
            fprintf(f, "  %-16s %s\n", cmd->usage, cmd->summary);
    fprintf(f, "\n%s\n%s\nSee godwit(1) for more.\n", global_options, settings);
}

void cli_command_help(FILE *f, const command *cmd)
{
    fprintf(f, "usage: godwit [options] %s\n\n%s.\n", cmd->usage, cmd->summary);
    if (cmd->help[0] != '\0')
        fprintf(f, "\n%s", cmd->help);
    fprintf(f, "\n%s", global_options);
}
