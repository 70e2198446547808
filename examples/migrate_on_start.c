/*
 * migrate_on_start.c - an application that brings its database to the
 * newest schema when it starts, using only libgodwit's installed header.
 *
 *   cc migrate_on_start.c $(pkg-config --cflags --libs libgodwit)
 *   ./a.out sqlite:app.db migrations
 */
#include <godwit.h>
#include <stdio.h>

static void progress(const godwit_event *ev, void *ctx)
{
    (void)ctx;
    if (ev->type == GODWIT_EVENT_APPLY_END)
        printf("migrated %s_%s in %ld ms\n", ev->mversion, ev->name,
               ev->duration_ms);
}

int main(int argc, char **argv)
{
    godwit_options opts = GODWIT_OPTIONS_INIT;
    godwit_status *st = NULL;
    godwit *g = NULL;
    int rc;

    if (argc != 3) {
        fprintf(stderr, "usage: %s DATABASE_URL MIGRATION_DIR\n", argv[0]);
        return 2;
    }
    opts.url = argv[1];
    opts.dir = argv[2];
    opts.progress = progress;
    if ((rc = godwit_open(&g, &opts)) < 0 || (rc = godwit_up(g, NULL)) < 0 ||
        (rc = godwit_status_read(g, &st)) < 0) {
        fprintf(stderr, "cannot migrate: %s\n", godwit_errmsg(g));
        godwit_close(g);
        return 1;
    }
    printf("schema at version %s, starting the application\n",
           godwit_status_current(st) ? godwit_status_current(st) : "base");
    godwit_status_free(st);
    godwit_close(g);
    return 0;
}
