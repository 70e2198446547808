/*
 * embedded.c - an application that migrates its database on start from
 * the migration set compiled into it: no migration files beside it.
 *
 *   godwit embed --dir migrations > migrations.c
 *   cc embedded.c migrations.c $(pkg-config --cflags --libs libgodwit)
 *   ./a.out sqlite:app.db
 *
 * A Makefile.am rule keeps migrations.c in step with the files:
 *
 *   MIGRATIONS = migrations/0001_create_location.sql ...
 *   migrations.c: $(MIGRATIONS)
 *           godwit embed --dir $(srcdir)/migrations >$@.tmp && mv $@.tmp $@
 *   app_SOURCES = embedded.c
 *   nodist_app_SOURCES = migrations.c
 *   BUILT_SOURCES = migrations.c
 *   CLEANFILES = migrations.c
 */
#include <godwit.h>
#include <stdio.h>

/* Defined in the file godwit embed wrote. */
extern const godwit_embedded godwit_embedded_set;

int main(int argc, char **argv)
{
    godwit_options opts = GODWIT_OPTIONS_INIT;
    godwit_status *st = NULL;
    godwit *g = NULL;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATABASE_URL\n", argv[0]);
        return 2;
    }
    opts.url = argv[1];
    opts.embedded = &godwit_embedded_set;
    if ((rc = godwit_open(&g, &opts)) < 0 || (rc = godwit_up(g, NULL)) < 0 ||
        (rc = godwit_status_read(g, &st)) < 0) {
        fprintf(stderr, "cannot migrate: %s\n",
                g ? godwit_errmsg(g) : "out of memory");
        godwit_close(g);
        return 1;
    }
    printf("schema at version %s, from %zu embedded migrations\n",
           godwit_status_current(st) ? godwit_status_current(st) : "base",
           godwit_embedded_set.n);
    godwit_status_free(st);
    godwit_close(g);
    return 0;
}
