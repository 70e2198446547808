/*
 * sqlite_lock.c - the migration lock of a SQLite database: an flock(2) on
 * the file DATABASE-godwit-lock beside it, held for the whole run.
 *
 * SQLite has no session lock, and its write lock cannot be held across a
 * transaction=off migration, whose statements run outside a transaction:
 * without this lock a second migrator would take the in-progress row for
 * done and run the next migration before the first is finished.
 *
 * The lock is a file of its own because closing any descriptor of the
 * database file would drop the POSIX locks SQLite holds on it, for every
 * connection of the process (https://sqlite.org/howtocorrupt.html, 2.2).
 * The kernel releases an flock when its holder dies, so a killed migrator
 * leaves no lock behind, only the file, which the next holder reuses.  The
 * holder removes the file when it lets go; a waiter that then gets the lock
 * of the removed file sees that the path names another file (or none) and
 * opens it again.  The file stays empty: writing into it would cost more
 * than all the rest (a block to allocate and free, 0.1 ms); a migrator that
 * gives up waiting finds the holder's pid in /proc/locks instead.
 *
 * Where the file cannot be created (a read-only directory, where SQLite
 * could not write its journal either) there is no lock; the engine's
 * re-check inside each migration's transaction still keeps transactional
 * migrations from running twice.
 *
 * The file is named after the database's path with every symbolic link
 * resolved (for a database not created yet, its directory's and any
 * dangling link's), so that two URLs naming one database through
 * different links take one lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "sqlite-int.h"

#define LOCK_SUFFIX  "-godwit-lock"
#define PAUSE_MAX_MS 50

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int sqlite_wait(godwit_conn *c, long ms)
{
    double t0 = now_s();
    struct timespec ts;

    if (__atomic_load_n(&c->stopped, __ATOMIC_RELAXED))
        c->wait_left = 0;
    if (c->wait_left <= 0)
        return 0;
    if (ms > c->wait_left * 1000)
        ms = (long)(c->wait_left * 1000) + 1;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    t0 = now_s() - t0;
    c->waited += t0;
    c->wait_left -= t0;
    return 1;
}

/* The database's file name; "" for a database in memory. */
static const char *db_file(godwit_conn *c)
{
    const char *db = c->db ? sqlite3_db_filename(c->db, "main") : c->path;

    return db ? db : "";
}

/* Where the link at path points, as a path (relative to the link's own
 * directory, if not absolute); NULL if path is no link. Caller frees. */
static char *link_target(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
    char target[4096], *out;
    ssize_t n = readlink(path, target, sizeof(target) - 1);

    if (n <= 0)
        return NULL;
    target[n] = '\0';
    if (target[0] == '/')
        dlen = 0;
    if ((out = malloc(dlen + (size_t)n + 1)) != NULL)
        sprintf(out, "%.*s%s", (int)dlen, path, target);
    return out;
}

/* The database's path with every link resolved, or a copy of it as it is
 * when that cannot be done.  A file not created yet (or a link to one)
 * has its directory resolved.  Caller frees; NULL when out of memory. */
static char *resolved(const char *db, int depth)
{
    const char *slash = strrchr(db, '/'), *name = slash ? slash + 1 : db;
    char *full = realpath(db, NULL), *parent, *dir, *out;

    if (full != NULL || errno != ENOENT)
        return full != NULL ? full : strdup(db);
    if (depth < 8 && (parent = link_target(db)) != NULL) {
        out = resolved(parent, depth + 1);
        free(parent);
        return out;
    }
    parent = slash == NULL ? strdup(".")
                           : strndup(db, (size_t)(slash - db) + (slash == db));
    dir = parent != NULL ? realpath(parent, NULL) : NULL;
    free(parent);
    if (dir == NULL)
        return strdup(db);
    if ((out = malloc(strlen(dir) + strlen(name) + 2)) != NULL)
        sprintf(out, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
    free(dir);
    return out;
}

static int set_lock_path(godwit_conn *c, godwit_berror *err)
{
    char *db = resolved(db_file(c), 0);

    if (db == NULL ||
        (c->lock_path = malloc(strlen(db) + sizeof(LOCK_SUFFIX))) == NULL) {
        free(db);
        err->code = GODWIT_ENOMEM;
        snprintf(err->message, sizeof(err->message), "out of memory");
        return GODWIT_ENOMEM;
    }
    sprintf(c->lock_path, "%s%s", db, LOCK_SUFFIX);
    free(db);
    return 0;
}

/* Whether the open lock file is still the one at its path. */
static int still_there(int fd, const char *path)
{
    struct stat held, named;

    return fstat(fd, &held) == 0 && stat(path, &named) == 0 &&
           held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

/* The pid holding an flock on the file open at fd, from /proc/locks
 * (Linux), or 0.  Lines look like "3: FLOCK  ADVISORY  WRITE 4242
 * fd:01:1234567 0 EOF"; waiters' lines have "->" after the number. */
static long holder_pid(int fd)
{
    char line[256], type[16];
    unsigned maj, min;
    unsigned long ino;
    long pid, found = 0;
    struct stat st;
    FILE *f;

    if (fstat(fd, &st) != 0 || (f = fopen("/proc/locks", "re")) == NULL)
        return 0;
    while (found == 0 && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "%*d: %15s %*s %*s %ld %x:%x:%lu", type, &pid, &maj,
                   &min, &ino) == 5 &&
            strcmp(type, "FLOCK") == 0 && maj == major(st.st_dev) &&
            min == minor(st.st_dev) && ino == (unsigned long)st.st_ino)
            found = pid;
    fclose(f);
    return found;
}

/* When the open lock file was last taken: its holder touches it. */
static void since(int fd, char *out, size_t cap)
{
    struct stat st;
    struct tm tm;

    out[0] = '\0';
    if (fstat(fd, &st) == 0 && gmtime_r(&st.st_mtime, &tm) != NULL)
        strftime(out, cap, " since %Y-%m-%dT%H:%M:%SZ", &tm);
}

int sqlite_lock_holder(godwit_conn *c, char *out, size_t cap,
                       godwit_berror *err)
{
    char when[40];
    long pid;
    int fd, held;

    if (*db_file(c) == '\0' || c->lock_fd >= 0)
        return 0; /* in memory, or held by this very connection */
    if (c->lock_path == NULL && set_lock_path(c, err) < 0)
        return GODWIT_ERROR;
    if ((fd = open(c->lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
        return 0; /* no file: no holder */
    held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (held) {
        pid = holder_pid(fd);
        since(fd, when, sizeof(when));
        if (pid > 0)
            snprintf(out, cap, "pid %ld%s", pid, when);
        else
            snprintf(out, cap, "another process%s", when);
    }
    close(fd); /* and the shared lock with it, if it was had */
    return held;
}

static int timed_out(godwit_conn *c, double timeout, godwit_berror *err)
{
    long pid = holder_pid(c->lock_fd);
    char holder[64] = "another process";

    if (pid > 0)
        snprintf(holder, sizeof(holder), "pid %ld", pid);
    err->code = GODWIT_ELOCKED;
    snprintf(err->message, sizeof(err->message),
             "the migration lock \"%s\" is held by %s; gave up after %g s; "
             "wait for it to finish or raise --lock-timeout",
             c->lock_path, holder, timeout);
    return GODWIT_ELOCKED;
}

static int cannot(godwit_conn *c, const char *what, const char *hint,
                  godwit_berror *err)
{
    err->code = GODWIT_ERROR;
    snprintf(err->message, sizeof(err->message), "cannot %s \"%s\": %s%s", what,
             c->lock_path, strerror(errno), hint);
    return GODWIT_ERROR;
}

static void drop(godwit_conn *c)
{
    close(c->lock_fd);
    c->lock_fd = -1;
}

enum { HELD_ELSEWHERE, LOCKED, NO_LOCK_HERE };

/* One attempt: LOCKED, HELD_ELSEWHERE, NO_LOCK_HERE (a read-only
 * directory), or < 0 on failure. */
static int attempt(godwit_conn *c, godwit_berror *err)
{
    for (;;) {
        if (c->lock_fd < 0 &&
            (c->lock_fd =
                 open(c->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                      0644)) < 0)
            return errno == EACCES || errno == EROFS || errno == EPERM
                       ? NO_LOCK_HERE
                       : cannot(c, "create the lock file",
                                "; it must be a regular file, or absent", err);
        if (flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0)
            return errno == EWOULDBLOCK || errno == EINTR
                       ? HELD_ELSEWHERE
                       : cannot(c, "lock the lock file", "", err);
        if (still_there(c->lock_fd, c->lock_path)) {
            futimens(c->lock_fd, NULL); /* "since when", for lock_holder */
            return LOCKED;
        }
        drop(c); /* its holder removed it: try the one at the path now */
    }
}

int sqlite_lock(godwit_conn *c, double timeout, godwit_berror *err)
{
    double deadline = now_s() + timeout;
    long pause = 1;
    int rc;

    if (*db_file(c) == '\0')
        return 0; /* in memory: this connection alone sees it */
    if (c->lock_path == NULL && (rc = set_lock_path(c, err)) < 0)
        return rc;
    while ((rc = attempt(c, err)) == HELD_ELSEWHERE && now_s() < deadline &&
           sqlite_wait(c, pause))
        pause = pause * 2 > PAUSE_MAX_MS ? PAUSE_MAX_MS : pause * 2;
    if (rc == LOCKED)
        return 0;
    if (rc == HELD_ELSEWHERE)
        rc = timed_out(c, timeout, err);
    if (c->lock_fd >= 0)
        drop(c);
    return rc == NO_LOCK_HERE ? 0 : rc;
}

int sqlite_unlock(godwit_conn *c, godwit_berror *err)
{
    (void)err;
    if (c->lock_fd < 0)
        return 0;
    unlink(c->lock_path); /* before letting go: see the top of the file */
    drop(c);
    return 0;
}
