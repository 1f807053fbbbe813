/* theme_priv.h: shared by the theme sources only. */
#ifndef AIDESK_CONFIG_THEME_PRIV_H
#define AIDESK_CONFIG_THEME_PRIV_H

/* Text from a file or the user made safe to quote in a message (new). */
char *theme_shown(const char *s);

#endif
