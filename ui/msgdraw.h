/* msgdraw.h: one message of a conversation on screen (msgdraw.c).
 *
 * A message keeps its laid-out text (a text_view) in its render cache;
 * msg_view brings it up to date with the message (streaming appends
 * re-parse only the last block). The draw functions paint one row of a
 * message inside r, the conversation pane's rectangle; the signatures
 * say what a row shows, so that an unchanged row is not drawn again. */
#ifndef AIDESK_UI_MSGDRAW_H
#define AIDESK_UI_MSGDRAW_H

#include "ui.h"

text_view *msg_view(msg *m);
/* Columns of a message's body in r. */
int msg_body_width(rect r);
/* Rows of one message in r: header, body, note, choices, a blank separator. */
int msg_height(msg *m, rect r);

void msg_draw_header(ui *u, rect r, int y, const conv *c, const msg *m);
/* Body line i of m's view at row y; last: its last line (the streaming
 * cursor goes there); search: matches to highlight, or NULL. */
void msg_draw_body_line(ui *u, rect r, int y, const conv *c, msg *m, text_view *v, size_t i, bool last,
                        const char *search);
void msg_draw_note(ui *u, rect r, int y, const msg *m);
/* A rejection's note (model/notes.h) is followed by a line of what can be
 * done next, with the commands that do it. */
bool msg_has_choices(const msg *m);
void msg_draw_choices(ui *u, rect r, int y);

uint64_t msg_mix(uint64_t h, uint64_t v);
uint64_t msg_header_sig(const msg *m);
uint64_t msg_body_sig(const msg *m, text_view *v, size_t i, bool cursor, const char *search);
uint64_t msg_note_sig(const msg *m);

#endif
