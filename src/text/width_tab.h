/* width_tab.h: the generated Unicode range tables (width_tab.c), private to
 * width.c. */
#ifndef AIDESK_TEXT_WIDTH_TAB_H
#define AIDESK_TEXT_WIDTH_TAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct tw_range {
    uint32_t lo, hi; /* inclusive */
} tw_range;

extern const tw_range tw_zero_tab[];
extern const size_t tw_zero_len;
extern const tw_range tw_wide_tab[];
extern const size_t tw_wide_len;
extern const tw_range tw_modbase_tab[];
extern const size_t tw_modbase_len;

#endif
