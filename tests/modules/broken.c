/*
 * broken.c - deliberately broken backend plugins for check_loader, one
 * fault per build (see Makefile.am): each must be refused with its own
 * message.
 */
#include <stddef.h>

#include "godwit-backend.h"

static const char *const schemes[] = {"broken", NULL};

static int connect_(godwit_conn **out, const godwit_target *t,
                    godwit_berror *err)
{
    return GODWIT_ERROR;
}

static void disconnect(godwit_conn *c)
{
}

__attribute__((unused)) static int exec_(godwit_conn *c, const char *sql,
                                         size_t len, godwit_berror *err)
{
    return GODWIT_ERROR;
}

static int render(const godwit_target *t, godwit_sql what,
                  const godwit_history_row *row, char *buf, size_t cap)
{
    return GODWIT_ENOTSUP;
}

static int history_read(godwit_conn *c, godwit_history_fn fn, void *ctx,
                        godwit_berror *err)
{
    return 0;
}

static int history_has(godwit_conn *c, const char *version, int *applied,
                       godwit_berror *err)
{
    return 0;
}

#if defined(BROKEN_WRONGABI)
#define ENTRY godwit_backend_wrongabi
#define NAME  "wrongabi"
#define ABI   99
#elif defined(BROKEN_NOSYMBOL)
#define ENTRY godwit_backend_somethingelse
#define NAME  "nosymbol"
#elif defined(BROKEN_NOMETHOD)
#define ENTRY godwit_backend_nomethod
#define NAME  "nomethod"
#define NO_EXEC
#elif defined(BROKEN_REFUSES)
#define ENTRY godwit_backend_refuses
#define NAME  "refuses"
#define REFUSE
#elif defined(BROKEN_MISNAMED)
#define ENTRY godwit_backend_misnamed
#define NAME  "sqlite"
#elif defined(BROKEN_TRUNCATED)
#define ENTRY godwit_backend_truncated
#define NAME  "truncated"
#define SIZE  offsetof(godwit_backend, history_has)
#endif

#ifndef ABI
#define ABI GODWIT_BACKEND_ABI
#endif
#ifndef SIZE
#define SIZE sizeof(godwit_backend)
#endif

static const godwit_backend backend = {
    .abi_version = ABI,
    .struct_size = SIZE,
    .name = NAME,
    .schemes = schemes,
    .connect = connect_,
    .disconnect = disconnect,
#ifdef NO_EXEC
    .exec = NULL,
#else
    .exec = exec_,
#endif
    .render = render,
    .history_read = history_read,
    .history_has = history_has,
};

const godwit_backend *ENTRY(unsigned host_abi);

const godwit_backend *ENTRY(unsigned host_abi)
{
#ifdef REFUSE
    return host_abi == 0 ? &backend : NULL; /* no host passes ABI 0 */
#else
    return &backend;
#endif
}
