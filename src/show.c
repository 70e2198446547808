/*
 * show.c - godwit show: one migration's file as godwit reads it, section
 * by section, with what runs on this URL's backend.  The state comes from
 * godwit_status; this adds what only the file says.
 */
#include <string.h>

#include "godwit-int.h"

static const char *kind_name(godwit_kind k)
{
    return k == GODWIT_KIND_UP     ? "up"
           : k == GODWIT_KIND_DOWN ? "down"
                                   : "verify";
}

/* Each section of m, and whether it is the one this backend runs. */
static int each(godwit *g, const godwit_migration *m, godwit_section_fn fn,
                void *ctx)
{
    const char *backend = godwit__session_backend(&g->session);
    size_t i;
    int rc = 0;

    for (i = 0; rc == 0 && i < m->nsections; i++) {
        const godwit_section *s = &m->sections[i];
        godwit_section_info info;

        memset(&info, 0, sizeof(info));
        info.kind = kind_name(s->kind);
        info.backend = s->backend[0] ? s->backend : NULL;
        info.transaction = s->transactional;
        info.foreign_keys_off = s->foreign_keys_off;
        info.irreversible = s->irreversible;
        info.line = s->line;
        info.sql = m->text + s->start;
        info.len = s->end - s->start;
        info.runs_here = godwit__migration_section(m, s->kind, backend) == s;
        info.checksum = m->checksum;
        rc = fn(&info, ctx);
    }
    return rc;
}

int godwit_sections(godwit *g, const char *version, godwit_section_fn fn,
                    void *ctx)
{
    godwit_set *set;
    godwit_migration *m;
    int rc;

    godwit__err_clear(&g->err);
    if ((rc = godwit__connect_module(g)) < 0 ||
        (rc = godwit__set_read(g, &set, 0)) < 0)
        return rc;
    if ((m = godwit__set_find(set, version)) == NULL)
        rc = godwit__err_set(&g->err, GODWIT_EUSAGE,
                             "no migration file has version %s; see godwit "
                             "status",
                             version);
    else
        rc = each(g, m, fn, ctx);
    godwit__set_free(set);
    return rc;
}
