/*
 * exports.c - what the plugin file exports: the entry point alone.  A
 * backend that exports its helpers can clash with the host's or another
 * plugin's symbols of the same name.  Read from the file's dynamic symbol
 * table (ELF, 64-bit); other formats are not checked.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"

/* The file's bytes, or NULL; *n its size. */
static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    long size;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 &&
        fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)size)) != NULL &&
        fread(p, 1, (size_t)size, f) != (size_t)size) {
        free(p);
        p = NULL;
    }
    if (f != NULL)
        fclose(f);
    *n = p ? (size_t)size : 0;
    return p;
}

/* The section header of the dynamic symbol table, or NULL. */
static const Elf64_Shdr *dynsym(const unsigned char *p, size_t n)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)p;
    const Elf64_Shdr *sh;
    int i;

    if (n < sizeof(*eh) || memcmp(p, ELFMAG, SELFMAG) != 0 ||
        p[EI_CLASS] != ELFCLASS64 || eh->e_shoff == 0 ||
        eh->e_shoff + (size_t)eh->e_shnum * sizeof(*sh) > n)
        return NULL;
    sh = (const Elf64_Shdr *)(p + eh->e_shoff);
    for (i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_DYNSYM && sh[i].sh_link < eh->e_shnum &&
            sh[i].sh_offset + sh[i].sh_size <= n &&
            sh[sh[i].sh_link].sh_offset + sh[sh[i].sh_link].sh_size <= n)
            return &sh[i];
    return NULL;
}

/* Whether a symbol is defined here and visible to other objects. */
static int exported(const Elf64_Sym *s)
{
    int bind = ELF64_ST_BIND(s->st_info), type = ELF64_ST_TYPE(s->st_info);

    return s->st_shndx != SHN_UNDEF &&
           (bind == STB_GLOBAL || bind == STB_WEAK) &&
           (type == STT_FUNC || type == STT_OBJECT) &&
           ELF64_ST_VISIBILITY(s->st_other) == STV_DEFAULT;
}

void cf_exports(cf *c, const char *path)
{
    size_t n, i, count;
    unsigned char *p = slurp(path, &n);
    const Elf64_Shdr *sym = p ? dynsym(p, n) : NULL, *str;
    const Elf64_Sym *s;
    char entry[128], others[256] = "";
    int extra = 0;

    if (sym == NULL) {
        free(p);
        return; /* not a 64-bit ELF file: not checked */
    }
    str = (const Elf64_Shdr *)(p + ((const Elf64_Ehdr *)p)->e_shoff) +
          sym->sh_link;
    s = (const Elf64_Sym *)(p + sym->sh_offset);
    count = sym->sh_size / sizeof(*s);
    snprintf(entry, sizeof(entry), "godwit_backend_%s", c->name);
    for (i = 0; i < count; i++) {
        const char *name = (const char *)p + str->sh_offset + s[i].st_name;

        /* names with __ are the toolchain's (sanitizers, coverage) */
        if (!exported(&s[i]) || s[i].st_name >= str->sh_size ||
            strcmp(name, entry) == 0 || strcmp(name, "_init") == 0 ||
            strcmp(name, "_fini") == 0 || strncmp(name, "__", 2) == 0)
            continue;
        if (extra++ < 4)
            snprintf(others + strlen(others), sizeof(others) - strlen(others),
                     "%s%s", extra > 1 ? ", " : "", name);
    }
    cf_check(c, extra == 0, "load",
             "the plugin exports %d symbol%s besides %s (%s%s); make them "
             "static, or export only the entry point (libtool "
             "-export-symbols-regex '^godwit_backend_', or a version script)",
             extra, extra == 1 ? "" : "s", entry, others,
             extra > 4 ? ", ..." : "");
    free(p);
}
