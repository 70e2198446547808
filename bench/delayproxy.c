/*
 * delayproxy.c - a TCP proxy that adds network latency, for bench/latency.
 *
 *   delayproxy [-t SECONDS] RTT_MS SERVER_PORT
 *
 * Listens on 127.0.0.1 (a port of the kernel's choosing, printed on the
 * first line of standard output) and connects each client to
 * 127.0.0.1:SERVER_PORT.  Every chunk read in either direction is held
 * for half of RTT_MS (fractions allowed; 0: none) before it is written
 * on, in the order it was read, so that a request and its answer take a
 * round trip of RTT_MS more than without the proxy.  Loopback only.
 *
 * It also counts round trips: a connection's count goes up each time the
 * server sends after the client has sent since the server last did (a
 * turn of the conversation: requests sent together, as in a pipeline,
 * and answered together are one; a closing message that gets no answer
 * is none).  When a connection ends, one line goes to standard output:
 *
 *   conn 3 round_trips 7 client_bytes 812 server_bytes 40211
 *
 * The kernel completes TCP's own handshake with the proxy at once: the
 * counts and delays are those of the database protocol alone.
 *
 * It stops by itself after -t SECONDS (default 1800), or on SIGTERM.
 * A connection is four threads: a reader and a delaying writer each way.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct chunk {
    struct chunk *next;
    struct timespec due; /* when it may be written */
    size_t len;          /* 0: end of stream */
    char data[];
} chunk;

struct conn;

/* One direction: src is read, dst written, chunks held in between. */
typedef struct way {
    struct conn *conn;
    int src, dst;
    int from_server;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    chunk *head, *tail;
    size_t bytes;
} way;

typedef struct conn {
    int id;
    way up, down; /* client to server, server to client */
    pthread_mutex_t lock;
    int last; /* who sent last: 0 none, 1 client, 2 server */
    long round_trips;
} conn;

static long half_ns; /* the one-way delay */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void later(struct timespec *t, long ns)
{
    clock_gettime(CLOCK_MONOTONIC, t);
    t->tv_nsec += ns % 1000000000L;
    t->tv_sec += ns / 1000000000L + t->tv_nsec / 1000000000L;
    t->tv_nsec %= 1000000000L;
}

static void push(way *w, chunk *c)
{
    pthread_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = c;
    else
        w->head = c;
    w->tail = c;
    pthread_cond_signal(&w->ready);
    pthread_mutex_unlock(&w->lock);
}

static chunk *pop(way *w)
{
    chunk *c;

    pthread_mutex_lock(&w->lock);
    while (w->head == NULL)
        pthread_cond_wait(&w->ready, &w->lock);
    c = w->head;
    if ((w->head = c->next) == NULL)
        w->tail = NULL;
    pthread_mutex_unlock(&w->lock);
    return c;
}

/* A turn of the conversation: the server answers what the client sent. */
static void count(conn *c, int from_server)
{
    pthread_mutex_lock(&c->lock);
    if (from_server && c->last == 1)
        c->round_trips++;
    c->last = from_server ? 2 : 1;
    pthread_mutex_unlock(&c->lock);
}

static void *reader(void *arg)
{
    way *w = arg;
    char buf[65536];
    ssize_t n;
    chunk *c;

    for (;;) {
        n = read(w->src, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        c = malloc(sizeof(*c) + (n > 0 ? (size_t)n : 0));
        if (c == NULL)
            abort();
        c->next = NULL;
        c->len = n > 0 ? (size_t)n : 0;
        if (n > 0) {
            memcpy(c->data, buf, (size_t)n);
            w->bytes += (size_t)n;
            count(w->conn, w->from_server);
        }
        later(&c->due, half_ns);
        push(w, c);
        if (n <= 0)
            return NULL;
    }
}

static void *writer(void *arg)
{
    way *w = arg;
    chunk *c;
    size_t off;
    ssize_t n;
    int broken = 0;

    for (;;) {
        c = pop(w);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &c->due, NULL) ==
               EINTR)
            ;
        if (c->len == 0) {
            free(c);
            shutdown(w->dst, SHUT_WR);
            return NULL;
        }
        for (off = 0; !broken && off < c->len; off += (size_t)n)
            if ((n = write(w->dst, c->data + off, c->len - off)) < 0 &&
                errno != EINTR) {
                broken = 1; /* the peer is gone: read no more from src */
                shutdown(w->src, SHUT_RD);
            } else if (n < 0) {
                n = 0;
            }
        free(c);
    }
}

static void *serve(void *arg)
{
    conn *c = arg;
    way *ways[2] = {&c->up, &c->down};
    pthread_t threads[4];
    int i;

    for (i = 0; i < 2; i++) {
        pthread_create(&threads[2 * i], NULL, reader, ways[i]);
        pthread_create(&threads[2 * i + 1], NULL, writer, ways[i]);
    }
    for (i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_lock(&out_lock);
    printf("conn %d round_trips %ld client_bytes %zu server_bytes %zu\n", c->id,
           c->round_trips, c->up.bytes, c->down.bytes);
    fflush(stdout);
    pthread_mutex_unlock(&out_lock);
    close(c->up.src);
    close(c->down.src);
    free(c);
    return NULL;
}

static void way_init(way *w, conn *c, int src, int dst, int from_server)
{
    w->conn = c;
    w->src = src;
    w->dst = dst;
    w->from_server = from_server;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->ready, NULL);
}

static int loopback(int port, struct sockaddr_in *a)
{
    memset(a, 0, sizeof(*a));
    a->sin_family = AF_INET;
    a->sin_port = htons((unsigned short)port);
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return socket(AF_INET, SOCK_STREAM, 0);
}

int main(int argc, char **argv)
{
    struct sockaddr_in a, server;
    socklen_t len = sizeof(a);
    int opt, lifetime = 1800, listener, client, up, one = 1, id = 0;
    double rtt;
    pthread_t thread;
    conn *c;

    while ((opt = getopt(argc, argv, "t:")) != -1)
        if (opt == 't')
            lifetime = atoi(optarg);
    if (argc - optind != 2 || (rtt = atof(argv[optind])) < 0) {
        fprintf(stderr, "usage: delayproxy [-t SECONDS] RTT_MS SERVER_PORT\n");
        return 2;
    }
    half_ns = (long)(rtt * 1e6 / 2);
    signal(SIGPIPE, SIG_IGN);
    alarm((unsigned)lifetime); /* SIGALRM ends it: bounded in time */
    if ((listener = loopback(0, &a)) < 0 ||
        bind(listener, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        listen(listener, 64) < 0 ||
        getsockname(listener, (struct sockaddr *)&a, &len) < 0) {
        perror("delayproxy: listen");
        return 1;
    }
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        if ((client = accept(listener, NULL, NULL)) < 0)
            continue;
        if ((up = loopback(atoi(argv[optind + 1]), &server)) < 0 ||
            connect(up, (struct sockaddr *)&server, sizeof(server)) < 0 ||
            (c = calloc(1, sizeof(*c))) == NULL) {
            perror("delayproxy: connect");
            close(client);
            if (up >= 0)
                close(up);
            continue;
        }
        /* Nagle would hold back small writes the client and server made
         * as one: the proxy passes each on as it came. */
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        c->id = ++id;
        pthread_mutex_init(&c->lock, NULL);
        way_init(&c->up, c, client, up, 0);
        way_init(&c->down, c, up, client, 1);
        if (pthread_create(&thread, NULL, serve, c) != 0) {
            close(client);
            close(up);
            free(c);
            continue;
        }
        pthread_detach(thread);
    }
}
