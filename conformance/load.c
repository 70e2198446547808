/*
 * load.c - the entry point and the table it returns: what the loader
 * checks, and what it trusts.
 */
#include <stddef.h>
#include <string.h>

#include "conformance.h"

#define KNOWN_DIALECT                                                          \
    (GODWIT_DIALECT_BACKSLASH | GODWIT_DIALECT_HASH_COMMENT |                  \
     GODWIT_DIALECT_NO_DOLLAR | GODWIT_DIALECT_CLIENT_DELIMITER)

static void required(cf *c)
{
    const godwit_backend *vt = c->vt;
    size_t need =
        offsetof(godwit_backend, history_has) + sizeof(vt->history_has);

    cf_check(c, vt->struct_size >= need, "load",
             "struct_size %u does not hold the required methods (%zu bytes); "
             "fill the struct with GODWIT_BACKEND_INIT",
             vt->struct_size, need);
    cf_check(c,
             vt->connect && vt->disconnect && vt->exec && vt->render &&
                 vt->history_read && vt->history_has,
             "load",
             "a required method is NULL: connect, disconnect, exec, render, "
             "history_read and history_has must all be set");
}

static void described(cf *c)
{
    const godwit_backend *vt = c->vt;

    cf_check(c, vt->name != NULL && strcmp(vt->name, c->name) == 0, "load",
             "the table's name is \"%s\", the file's \"%s\"; they must be "
             "equal",
             vt->name ? vt->name : "(null)", c->name);
    cf_check(c, vt->schemes != NULL && vt->schemes[0] != NULL, "load",
             "no URL scheme: set schemes to a NULL-terminated list");
    cf_check(c, !(vt->caps & GODWIT_CAP_SESSION_LOCK) || CF_HAS(vt, lock),
             "load",
             "GODWIT_CAP_SESSION_LOCK without a lock method: the host would "
             "rely on a lock it cannot take");
    cf_check(c,
             offsetof(godwit_backend, dialect) + sizeof(vt->dialect) >
                     vt->struct_size ||
                 (vt->dialect & ~(unsigned)KNOWN_DIALECT) == 0,
             "load", "dialect has unknown flags 0x%x",
             vt->dialect & ~(unsigned)KNOWN_DIALECT);
}

void cf_load(cf *c)
{
    if (!cf_check(c, c->entry != NULL, "load",
                  "the plugin exports no godwit_backend_%s; export that one "
                  "symbol, named after the file",
                  c->name))
        return;
    cf_check(c, c->entry(GODWIT_BACKEND_ABI + 1000) == NULL, "load",
             "the entry point accepted host ABI %d; return NULL for a host "
             "ABI other than the one the plugin was built for",
             GODWIT_BACKEND_ABI + 1000);
    c->vt = c->entry(GODWIT_BACKEND_ABI);
    if (!cf_check(c, c->vt != NULL, "load",
                  "the entry point returned NULL for host ABI %d",
                  GODWIT_BACKEND_ABI))
        return;
    if (!cf_check(c, c->vt->abi_version == GODWIT_BACKEND_ABI, "load",
                  "abi_version is %u, this godwit speaks %d; rebuild against "
                  "this godwit-backend.h",
                  c->vt->abi_version, GODWIT_BACKEND_ABI)) {
        c->vt = NULL;
        return;
    }
    required(c);
    described(c);
    if (c->failed > 0)
        c->vt = NULL; /* nothing else can be trusted */
}
