/* callctl_play.h: playing a reply's WAV with a player found on PATH
 * (aplay, then paplay), as a child process with no terminal I/O. Never
 * required: without a player nothing plays and nothing fails. */
#ifndef AIDESK_GATE_CALLCTL_PLAY_H
#define AIDESK_GATE_CALLCTL_PLAY_H

#include <sys/types.h>

/* "aplay", "paplay" or NULL ($AIDESK_PLAYER overrides: a program name or
 * path, "none" for no player). The string is static. */
const char *callplay_find(void);
/* Starts player on path; returns the child's pid or -1. */
pid_t callplay_start(const char *player, const char *path);
/* Reaps finished players (never blocks). */
void callplay_reap(void);

#endif
