/*
 * embed.c - godwit embed: the handle's migration set as C source, for a
 * program that migrates with no files beside it (godwit_options.embedded).
 * Each file goes in as the text godwit read (BOM and CR gone), one C
 * string per line of it, with the checksum godwit computed: the program
 * checks it again when it reads the set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "godwit-int.h"

/* s[0, n) inside a C string literal: octal escapes (always three digits,
 * so that a digit after one cannot join it) for what is not printable
 * ASCII, and '?' escaped against trigraphs. */
static void escaped(godwit_buf *b, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\n')
            godwit__buf_puts(b, "\\n");
        else if (c == '"' || c == '\\' || c == '?')
            godwit__buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            godwit__buf_printf(b, "\\%03o", c);
        else
            godwit__buf_put(b, (const char *)&c, 1);
    }
}

/* "s", escaped. */
static void quoted(godwit_buf *b, const char *s)
{
    godwit__buf_puts(b, "\"");
    escaped(b, s, strlen(s));
    godwit__buf_puts(b, "\"");
}

/* text[0, len) as adjacent string literals, one per line of it. */
static void lines(godwit_buf *b, const char *text, size_t len)
{
    size_t at = 0;

    if (len == 0)
        godwit__buf_puts(b, "    \"\"\n");
    while (at < len) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - text - at) + 1 : len - at;

        godwit__buf_puts(b, "    \"");
        escaped(b, text + at, n);
        godwit__buf_puts(b, "\"\n");
        at += n;
    }
}

/* The path's last part: the file name. */
static const char *base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

static void source(godwit_buf *b, const godwit_set *set, const char *dir)
{
    size_t i;

    godwit__buf_puts(b, "/* The migration set of ");
    escaped(b, dir, strlen(dir));
    godwit__buf_printf(b,
                       ", made by godwit embed %s: do not edit;\n * run godwit "
                       "embed again when a migration changes. */\n"
                       "#include <godwit.h>\n\n",
                       godwit_version());
    for (i = 0; i < set->n; i++) {
        godwit__buf_printf(b, "static const char m%zu[] =\n", i);
        lines(b, set->items[i]->text, set->items[i]->len);
        godwit__buf_puts(b, ";\n\n");
    }
    godwit__buf_printf(b, "static const godwit_embedded_file files[%zu] = {\n",
                       set->n ? set->n : 1);
    for (i = 0; i < set->n; i++) {
        godwit__buf_puts(b, "    {");
        quoted(b, base(set->items[i]->path));
        godwit__buf_printf(b, ", m%zu, sizeof(m%zu) - 1,\n     \"%s\"},\n", i,
                           i, set->items[i]->checksum);
    }
    if (set->n == 0)
        godwit__buf_puts(b, "    {NULL, NULL, 0, NULL}\n");
    godwit__buf_puts(b,
                     "};\n\nextern const godwit_embedded godwit_embedded_set;\n"
                     "const godwit_embedded godwit_embedded_set = {\n"
                     "    GODWIT_EMBEDDED_VERSION, ");
    quoted(b, dir);
    godwit__buf_printf(b, ", %zu, files};\n", set->n);
}

int godwit_embed(godwit *g, char **out)
{
    godwit_buf b = GODWIT_BUF_INIT;
    godwit_set *set;
    int rc;

    *out = NULL;
    godwit__err_clear(&g->err);
    if ((rc = godwit__set_read(g, &set, 0)) < 0)
        return rc;
    source(&b, set, g->cfg.value[GODWIT_KEY_DIR]);
    godwit__set_free(set);
    if (b.ptr == NULL || (*out = godwit__buf_detach(&b)) == NULL) {
        godwit__buf_free(&b);
        return godwit__err_set(&g->err, GODWIT_ENOMEM, "out of memory");
    }
    return 0;
}
