/* view_priv.h: the text_view structure, shared by view.c and find.c. */
#ifndef AIDESK_TEXT_VIEW_PRIV_H
#define AIDESK_TEXT_VIEW_PRIV_H

#include <stddef.h>

#include "text/md.h"
#include "text/view.h"
#include "text/wrap.h"

struct text_view {
    md_doc doc;
    wrap_out out;      /* lines at width */
    size_t *first_line; /* per block laid out: its first line */
    size_t nfirst, first_cap;
    int width; /* of the last layout; 0 before any */
};

#endif
