/* keys.c: keys from curses, routed to the pane that has the focus, the
 * readline input, or the console's own bindings. An ESC followed at once by
 * another key is Alt-key. */
#include "config.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "util/mem.h"

/* Ctrl-N / Ctrl-P: conversations first, then comparisons, round. */
static void move_selection(ui *u, int delta)
{
    size_t total = u->nsorted + u->ncmps;
    if (!total)
        return;
    size_t at = 0;
    for (size_t i = 0; i < u->nsorted; i++)
        if (!u->cur_cmp && u->sorted[i] == u->cur)
            at = i;
    for (size_t i = 0; i < u->ncmps; i++)
        if (u->cmps[i] == u->cur_cmp)
            at = u->nsorted + i;
    long next = (long)at + delta;
    if (next < 0)
        next = (long)total - 1;
    if ((size_t)next >= total)
        next = 0;
    if ((size_t)next < u->nsorted)
        ui_select(u, u->sorted[next]);
    else
        ui_select_cmp(u, u->cmps[(size_t)next - u->nsorted]);
}

/* A key for the input line. A line handled by that key may ask for text
 * in the next one (u->refill): readline clears the line after its handler
 * returns, so it is put there now. */
static void feed(ui *u, int is_key, wint_t ch)
{
    input_key(u, is_key, ch);
    if (u->refill) {
        char *text = u->refill;
        u->refill = NULL;
        input_set_text(u, text);
        free(text);
    }
}

/* Keys on the drafts queue act on the row as the last frame drew it
 * (u->queue): a draft that left the queue since is reported as such by the
 * app, and the row's neighbour is never acted on in its place. */
static void drafts_key(ui *u, int is_key, wint_t ch)
{
    const dq_row *row = dq_selected(&u->queue);
    if (is_key && ch == KEY_UP) {
        dq_move(&u->queue, -1);
    } else if (is_key && ch == KEY_DOWN) {
        dq_move(&u->queue, 1);
    } else if (!is_key && (ch == 27 || ch == 'q')) {
        u->focus = FOCUS_INPUT;
    } else if (!is_key && ch == 'a' && row) {
        app_approve_id(u->app, row->draft_id, NULL);
    } else if (!is_key && ch == 'e' && row) {
        console_edit_draft(u, row->draft_id);
    } else if (!is_key && ch == 'r' && row) {
        char *why = app_draft_why_not(u->app, row->draft_id);
        if (why) {
            app_flash(u->app, true, "that draft %s; nothing was sent", why);
            free(why);
        } else {
            /* The id, not the row number: the line means this draft
             * whatever the queue does while the reason is typed. */
            char *pre = xasprintf("/reject %s ", row->draft_id);
            console_line_opened(u);
            input_set_text(u, pre);
            free(pre);
            u->focus = FOCUS_INPUT;
            app_flash(u->app, false, "type the reason, then Enter");
        }
    } else if (!is_key && (ch == '\r' || ch == '\n') && row) {
        conv *c = model_find(u->m, row->ws_id);
        if (c)
            ui_select(u, c);
        else
            app_flash(u->app, true, "workspace %s is not known here any more", row->label);
    }
    u->dirty = true;
}

static void mouse_event(ui *u)
{
    MEVENT me;
    if (getmouse(&me) != OK)
        return;
    if (me.bstate & BUTTON4_PRESSED)
        convpane_scroll(u, -3);
    else if (me.bstate & BUTTON5_PRESSED)
        convpane_scroll(u, 3);
    else if ((me.bstate & BUTTON1_CLICKED) && rect_contains(u->lay.sidebar, me.y, me.x)) {
        conv *c;
        cmpui *k;
        sidebar_hit(u, me.y, &c, &k);
        if (c)
            ui_select(u, c);
        else if (k)
            ui_select_cmp(u, k);
    }
}

/* Reads every key waiting. An ESC followed at once by another key is Alt. */
void keys_read(ui *u)
{
    wint_t ch;
    int r;
    while (!u->quit && (r = get_wch(&ch)) != ERR) {
        bool is_key = r == KEY_CODE_YES;
        u->dirty = true;
        if (is_key && ch == KEY_RESIZE) {
            continue; /* SIGWINCH does the work */
        }
        if (is_key && ch == KEY_MOUSE) {
            mouse_event(u);
            continue;
        }
        if (u->focus == FOCUS_HELP) {
            if (is_key && (ch == KEY_NPAGE || ch == KEY_DOWN))
                u->help_top += is_key && ch == KEY_NPAGE ? 10 : 1;
            else if (is_key && (ch == KEY_PPAGE || ch == KEY_UP))
                u->help_top = u->help_top > 10 ? u->help_top - (ch == KEY_PPAGE ? 10 : 1) : 0;
            else
                u->focus = FOCUS_INPUT;
            continue;
        }
        if (!is_key && ch == 27 && (u->focus == FOCUS_PICKER || u->focus == FOCUS_COMPARE)) {
            if (u->focus == FOCUS_PICKER)
                picker_key(u, 0, 27);
            else
                compare_key(u, 0, 27);
            continue;
        }
        if (!is_key && ch == 27) {
            wint_t next;
            /* With the input focused, ESC and a key at once is Alt-key;
             * elsewhere ESC only ever means "back". */
            int r2 = u->focus == FOCUS_INPUT ? get_wch(&next) : ERR;
            if (r2 != ERR) {
                /* Alt-<key>: give readline both bytes. */
                feed(u, 0, 27);
                feed(u, r2 == KEY_CODE_YES, next);
                continue;
            }
            if (u->focus == FOCUS_DRAFTS) {
                u->focus = FOCUS_INPUT;
            } else if (u->focus == FOCUS_GATE) {
                u->gate_view = false;
                u->focus = FOCUS_INPUT;
            } else if (u->gate_view && input_empty()) {
                u->focus = FOCUS_GATE; /* back to the Gate pane's keys */
            } else if (u->editing_draft) {
                free(u->editing_draft);
                u->editing_draft = NULL;
                u->editing_told = false;
                input_set_text(u, "");
                app_flash(u->app, false, "draft edit abandoned; the draft is unchanged");
            } else if (u->cur && app_cancel_stream(u->app, u->cur)) {
                app_flash(u->app, false, "stopping the reply...");
            } else if (u->cur_cmp && compare_busy(u->cur_cmp->c)) {
                compare_cancel(u->cur_cmp->c, -1);
                app_flash(u->app, false, "stopped every column");
            }
            continue;
        }
        if (u->focus == FOCUS_DRAFTS && !(is_key && ch >= KEY_F(1) && ch <= KEY_F(12))) {
            drafts_key(u, is_key, ch);
            continue;
        }
        if (u->focus == FOCUS_GATE && !(is_key && ch >= KEY_F(1) && ch <= KEY_F(12))) {
            gatepane_key(u, is_key, ch);
            continue;
        }
        if (u->focus == FOCUS_PICKER) {
            picker_key(u, is_key, ch);
            continue;
        }
        if (u->focus == FOCUS_COMPARE && !(is_key && ch >= KEY_F(1) && ch <= KEY_F(12))) {
            compare_key(u, is_key, ch);
            continue;
        }
        if (u->cur_cmp && is_key && (ch == KEY_LEFT || ch == KEY_RIGHT) && input_empty()) {
            u->focus = FOCUS_COMPARE;
            continue;
        }
        if (is_key) {
            switch (ch) {
            case KEY_PPAGE: convpane_scroll(u, -(u->lay.conv.h - 2)); continue;
            case KEY_NPAGE: convpane_scroll(u, u->lay.conv.h - 2); continue;
            case KEY_F(1): u->focus = FOCUS_HELP; u->help_top = 0; continue;
            case KEY_F(2): u->focus = u->focus == FOCUS_DRAFTS ? FOCUS_INPUT : FOCUS_DRAFTS; continue;
            case KEY_F(3):
                if (u->search && !convpane_search(u, u->search, true))
                    app_flash(u->app, true, "no more matches for %s", u->search);
                continue;
            case KEY_F(4): input_edit_external(u); continue;
            case KEY_F(6):
                if (u->gate_view) {
                    u->gate_view = false;
                    u->focus = FOCUS_INPUT;
                } else {
                    gate_open(u);
                }
                continue;
            case KEY_F(10): u->quit = true; continue;
            case KEY_HOME:
                if (input_empty()) {
                    convpane_home(u);
                    continue;
                }
                break;
            case KEY_END:
                if (input_empty()) {
                    convpane_end(u);
                    continue;
                }
                break;
            default: break;
            }
            if (input_empty())
                console_line_opened(u);
            feed(u, 1, ch);
            continue;
        }
        switch (ch) {
        case 3: /* Ctrl-C */
            if (u->cur && app_cancel_stream(u->app, u->cur))
                continue;
            if (!input_empty())
                input_clear_to_history(u);
            continue;
        case 4: /* Ctrl-D */
            if (input_empty()) {
                u->quit = true;
                continue;
            }
            break;
        case 12: clearok(curscr, TRUE); continue;
        case 14: move_selection(u, 1); continue;
        case 16: move_selection(u, -1); continue;
        case 26: term_suspend(); continue;
        case '?':
            if (input_empty()) {
                u->focus = FOCUS_HELP;
                u->help_top = 0;
                continue;
            }
            break;
        default: break;
        }
        if (input_empty())
            console_line_opened(u);
        feed(u, 0, ch);
    }
}

