/* emoji.h: what makes an emoji sequence, for the sanitiser (which keeps a
 * ZWJ that joins two emoji and shows any other) and the width of clusters
 * (text/width.h). */
#ifndef AIDESK_UTIL_EMOJI_H
#define AIDESK_UTIL_EMOJI_H

#include <stdbool.h>
#include <stdint.h>

#define EMOJI_ZWJ 0x200Du
#define EMOJI_VS15 0xFE0Eu
#define EMOJI_VS16 0xFE0Fu

/* Whether cp is Extended_Pictographic: an emoji that a ZWJ may join. */
bool emoji_is_pictographic(uint32_t cp);
/* Whether cp is a skin tone (Emoji_Modifier, U+1F3FB..U+1F3FF). */
bool emoji_is_modifier(uint32_t cp);

#endif
