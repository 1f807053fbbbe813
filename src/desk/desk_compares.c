/* desk_compares.c: the list of the comparisons created on a desk (desk.h):
 * compare.c enters each one when it attaches to the desk and takes it out
 * when it is freed, so the list never holds a freed comparison. */
#include "config.h"
#include "desk/desk_priv.h"
#include "compare/compare.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/assert.h"
#include "util/mem.h"

size_t desk_ncompares(const desk_t *a)
{
    return a->ncompares;
}

compare_t *desk_compare(const desk_t *a, size_t i)
{
    AIDESK_ASSERT(i < a->ncompares);
    return a->compares[i];
}

compare_t *desk_find_compare(const desk_t *a, const char *title)
{
    if (!title)
        return NULL;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < a->ncompares; i++) {
            const char *t = compare_title(a->compares[i]);
            if (pass ? !strcasecmp(t, title) : !strcmp(t, title))
                return a->compares[i];
        }
    return NULL;
}

void desk_add_compare(desk_t *a, compare_t *c)
{
    AIDESK_ASSERT(c != NULL);
    a->compares = xgrow(a->compares, &a->capcompares, a->ncompares + 1, sizeof *a->compares);
    a->compares[a->ncompares++] = c;
}

void desk_remove_compare(desk_t *a, compare_t *c)
{
    for (size_t i = 0; i < a->ncompares; i++) {
        if (a->compares[i] != c)
            continue;
        memmove(a->compares + i, a->compares + i + 1, (a->ncompares - i - 1) * sizeof *a->compares);
        a->ncompares--;
        return;
    }
}

void desk_compares_free(desk_t *a)
{
    /* compare_free takes each out of the list; oldest first, as they
     * were made. */
    while (a->ncompares)
        compare_free(a->compares[0]);
    free(a->compares);
    a->compares = NULL;
    a->capcompares = 0;
}
