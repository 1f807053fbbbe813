/* keys.c: every key waiting on the terminal, and the console's own
 * bindings.
 *
 * A key goes to the pane with the focus first (pane.h: its key table,
 * then its key operation); what it lets through goes to the bindings
 * below, which work from anywhere the pane allows (the F-keys always);
 * what is still left is typed on the input line when the line has the
 * focus. Adding a console-wide key is one line in `bindings` (and its
 * help line in view/commands.c's key table). */
#include "config.h"
#include "day.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "term.h"

static bool open_help(ui *u, int k)
{
    if (k == '?' && !input_empty())
        return false; /* a question mark in the text */
    help_open(u);
    return true;
}

static bool drafts(ui *u, int k)
{
    (void)k;
    drafts_toggle_focus(u);
    return true;
}

static bool search_next(ui *u, int k)
{
    (void)k;
    convpane_search_next(u);
    return true;
}

static bool editor(ui *u, int k)
{
    (void)k;
    input_edit_external(u);
    return true;
}

static bool longest_wait(ui *u, int k)
{
    (void)k;
    attn_jump(u);
    return true;
}

static bool undo(ui *u, int k)
{
    (void)k;
    day_undo(u, false);
    return true;
}

static bool gate(ui *u, int k)
{
    (void)k;
    gate_toggle(u);
    return true;
}

static bool quit(ui *u, int k)
{
    if (k == K_CTRL('d') && !input_empty())
        return false; /* readline deletes a character */
    u->quit = true;
    return true;
}

/* Ctrl-C: stops the reply being streamed, or clears the line (kept in the
 * history). */
static bool interrupt(ui *u, int k)
{
    (void)k;
    if (u->cur && desk_cancel_stream(u->desk, u->cur))
        return true;
    if (!input_empty())
        input_clear_to_history(u);
    return true;
}

static bool redraw(ui *u, int k)
{
    (void)u;
    (void)k;
    clearok(curscr, TRUE);
    return true;
}

static bool next_conv(ui *u, int k)
{
    sidebar_move(u, k == K_CTRL('n') ? 1 : -1);
    return true;
}

static bool suspend(ui *u, int k)
{
    (void)u;
    (void)k;
    term_suspend();
    return true;
}

/* A binding may decline (false): the key then goes on to the line. */
static const struct binding {
    int key;
    bool (*fn)(ui *u, int key);
} bindings[] = {
    {K_FN(KEY_F(1)), open_help},
    {'?', open_help},
    {K_FN(KEY_F(2)), drafts},
    {K_FN(KEY_F(3)), search_next},
    {K_FN(KEY_F(4)), editor},
    {K_FN(KEY_F(5)), longest_wait},
    {K_FN(KEY_F(6)), gate},
    {K_FN(KEY_F(8)), undo},
    {K_FN(KEY_F(10)), quit},
    {K_CTRL('d'), quit},
    {K_CTRL('c'), interrupt},
    {K_CTRL('l'), redraw},
    {K_CTRL('n'), next_conv},
    {K_CTRL('p'), next_conv},
    {K_CTRL('z'), suspend},
};

static bool bound(ui *u, int k)
{
    for (size_t i = 0; i < sizeof bindings / sizeof *bindings; i++)
        if (bindings[i].key == k)
            return bindings[i].fn(u, k);
    return false;
}

/* The wheel scrolls what the sidebar selected; a click goes to the pane
 * under it. */
static void mouse(ui *u)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return;
    pane *to = NULL;
    if (me.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
        to = ui_selection_pane(u);
    for (size_t i = 0; !to && i < u->npanes; i++) {
        pane *p = u->panes[i];
        if (p->ops->slot != SLOT_OVERLAY && (p->ops->slot != SLOT_MAIN || p == u->main) &&
            rect_contains(p->r, me.y, me.x))
            to = p;
    }
    if (to && to->ops->mouse)
        to->ops->mouse(to, u, &me);
}

void keys_read(ui *u)
{
    wint_t ch;
    int r;
    while (!u->quit && (r = get_wch(&ch)) != ERR) {
        int k = r == KEY_CODE_YES ? K_FN(ch) : (int)ch;
        u->dirty = true;
        if (k == K_FN(KEY_RESIZE))
            continue; /* SIGWINCH does the work */
        if (k == K_FN(KEY_MOUSE)) {
            mouse(u);
            continue;
        }
        if (pane_take_key(u->focus, u, k) || bound(u, k))
            continue;
        if (u->focus == u->line)
            line_type(u, k);
    }
}
