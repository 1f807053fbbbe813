/* console.c: the console's main loop, keys and slash commands. */
#include "config.h"
#include "console.h"
#include "ui.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/export.h"
#include "term.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/mem.h"
#include "view/commands.h"

/* Frames: what the user does shows within a 60 Hz frame; text arriving
 * from the network is drawn at most 30 times a second, which reads as
 * smooth and halves the cost of a fast stream. */
#define FRAME_MS 16
#define STREAM_FRAME_MS 33

/* ------------------------------------------------------------ commands */

static const char *const no_cands[] = {NULL};

const char *const *console_candidates(void *ud, cmd_arg kind, size_t *n);
const char *const *console_candidates(void *ud, cmd_arg kind, size_t *n)
{
    ui *u = ud;
    static char **scratch;
    static size_t nscratch;
    for (size_t i = 0; i < nscratch; i++)
        free(scratch[i]);
    free(scratch);
    scratch = NULL;
    nscratch = 0;
    *n = 0;
    switch (kind) {
    case ARG_MODEL:
        return app_models(u->app, n);
    case ARG_CONV:
    case ARG_CLIENT: {
        scratch = xcalloc(u->m->nconvs * 2 + 1, sizeof *scratch);
        for (size_t i = 0; i < u->m->nconvs; i++) {
            const conv *c = u->m->convs[i];
            if (kind == ARG_CONV)
                scratch[nscratch++] = xstrdup(c->id);
            if (c->title && strcmp(c->title, c->id))
                scratch[nscratch++] = xstrdup(c->title);
        }
        *n = nscratch;
        return (const char *const *)scratch;
    }
    case ARG_DRAFT: {
        scratch = xcalloc(u->m->ndrafts + 1, sizeof *scratch);
        for (size_t i = 0; i < u->m->ndrafts; i++)
            scratch[nscratch++] = xasprintf("%zu", i + 1);
        *n = nscratch;
        return (const char *const *)scratch;
    }
    case ARG_THEME: {
        static const char *const themes[] = {"default", "light", "high-contrast", "monochrome"};
        *n = 4;
        return themes;
    }
    default:
        return no_cands;
    }
}

/* The draft a command means: its 1-based number, else the selected one. */
static draft *pick_draft(ui *u, const cmd_parsed *p)
{
    size_t idx = u->draft_sel;
    if (p && p->argc >= 1) {
        char *end;
        long v = strtol(p->argv[0], &end, 10);
        if (*end || v < 1 || (size_t)v > u->m->ndrafts) {
            app_flash(u->app, true, "no draft %s (there are %zu)", p->argv[0], u->m->ndrafts);
            return NULL;
        }
        idx = (size_t)v - 1;
    }
    if (idx >= u->m->ndrafts) {
        app_flash(u->app, true, "no pending drafts");
        return NULL;
    }
    return u->m->drafts[idx];
}

static conv *need_workspace(ui *u)
{
    if (!u->cur || u->cur->kind != CONV_WORKSPACE) {
        app_flash(u->app, true, "this needs a workspace: pick one on the left, or /new or /open one");
        return NULL;
    }
    return u->cur;
}

static void cmd_new(ui *u, const cmd_parsed *p)
{
    app_ws_params wp = {0};
    buf_t ctx = BUF_INIT;
    wp.client_id = p->argv[0];
    for (int i = 1; i < p->argc; i++) {
        const char *a = p->argv[i];
        if (!strcmp(a, "-s") && i + 1 < p->argc) {
            wp.system_prompt = p->argv[++i];
        } else if (!strcmp(a, "-m") && i + 1 < p->argc) {
            wp.initial_message = p->argv[++i];
        } else if (ai_mode_from_string(a) != AI_MODE_UNKNOWN && !wp.mode) {
            wp.mode = a;
        } else if (strchr(a, '=')) {
            if (ctx.len)
                buf_append_char(&ctx, ' ');
            buf_append_str(&ctx, a);
        } else {
            app_flash(u->app, true, "/new: what is '%s'? usage: /new %s", a,
                      cmd_find("new")->usage);
            buf_free(&ctx);
            return;
        }
    }
    wp.context_kv = ctx.len ? ctx.data : NULL;
    char *err = NULL;
    if (!app_create_workspace(u->app, &wp, &err)) {
        app_flash(u->app, true, "/new: %s", err);
        free(err);
    } else {
        app_flash(u->app, false, "creating workspace %s...", wp.client_id);
    }
    buf_free(&ctx);
}

static conv *find_conv(ui *u, const char *what)
{
    conv *c = model_find(u->m, what);
    for (size_t i = 0; !c && i < u->m->nconvs; i++)
        if (u->m->convs[i]->title && !strcmp(u->m->convs[i]->title, what))
            c = u->m->convs[i];
    return c;
}

static void cmd_save(ui *u, const cmd_parsed *p)
{
    if (u->cur_cmp && (!strcmp(p->argv[0], "md") || !strcmp(p->argv[0], "json"))) {
        char *path = NULL, *err = NULL;
        if (compare_export(u->cur_cmp->c, !strcmp(p->argv[0], "json") ? EXPORT_JSON : EXPORT_MARKDOWN,
                           p->argc > 1 ? p->argv[1] : NULL, &path, &err) != 0) {
            app_flash(u->app, true, "/save: %s", err);
            free(err);
        } else {
            app_flash(u->app, false, "saved the comparison to %s", path);
            free(path);
        }
        return;
    }
    if (!u->cur) {
        app_flash(u->app, true, "nothing to save: open a conversation first");
        return;
    }
    bool json = !strcmp(p->argv[0], "json");
    if (!json && strcmp(p->argv[0], "md")) {
        app_flash(u->app, true, "/save: the format is md or json");
        return;
    }
    char *path = NULL, *err = NULL;
    if (export_conv(u->cur, json ? EXPORT_JSON : EXPORT_MARKDOWN, p->argc > 1 ? p->argv[1] : NULL,
                    &path, &err) != 0) {
        app_flash(u->app, true, "/save: %s", err);
        free(err);
        return;
    }
    app_flash(u->app, false, "saved to %s", path);
    free(path);
}

static void run_command(ui *u, const char *line)
{
    cmd_parsed p;
    char *err = NULL;
    if (cmd_parse(line, &p, &err) != 0) {
        app_flash(u->app, true, "%s", err);
        free(err);
        return;
    }
    conv *c;
    draft *d;
    switch (p.def->id) {
    case CMD_HELP:
        u->focus = FOCUS_HELP;
        u->help_top = 0;
        break;
    case CMD_QUIT:
        u->quit = true;
        break;
    case CMD_NEW:
        cmd_new(u, &p);
        break;
    case CMD_OPEN:
        app_find_workspace(u->app, p.argv[0]);
        break;
    case CMD_GO:
        if ((c = find_conv(u, p.rest)))
            ui_select(u, c);
        else
            app_flash(u->app, true, "no conversation called %s", p.rest);
        break;
    case CMD_END:
        if ((c = need_workspace(u)))
            app_end_workspace(u->app, c);
        break;
    case CMD_MODE:
        if ((c = need_workspace(u))) {
            ai_mode mode = ai_mode_from_string(p.argv[0]);
            if (mode == AI_MODE_UNKNOWN)
                app_flash(u->app, true, "/mode: use ai, shadow or takeover");
            else
                app_set_mode(u->app, c, mode);
        }
        break;
    case CMD_TAKEOVER:
        if ((c = need_workspace(u))) {
            app_set_mode(u->app, c, AI_MODE_TAKEOVER);
            ui_convui(u, c)->as_agent = true;
        }
        break;
    case CMD_HANDBACK:
        if ((c = need_workspace(u)))
            app_set_mode(u->app, c, AI_MODE_AI);
        break;
    case CMD_AS:
        if ((c = need_workspace(u))) {
            if (!strcmp(p.argv[0], "agent") || !strcmp(p.argv[0], "customer")) {
                ui_convui(u, c)->as_agent = !strcmp(p.argv[0], "agent");
                app_flash(u->app, false, "you now speak as the %s in %s", p.argv[0], c->title);
            } else {
                app_flash(u->app, true, "/as: customer or agent");
            }
        }
        break;
    case CMD_DRAFTS:
        u->focus = FOCUS_DRAFTS;
        break;
    case CMD_APPROVE:
        if ((d = pick_draft(u, &p)))
            app_approve(u->app, d, NULL);
        break;
    case CMD_EDIT:
        if ((d = pick_draft(u, &p))) {
            free(u->editing_draft);
            u->editing_draft = xstrdup(d->id);
            input_set_text(u, d->content);
            u->focus = FOCUS_INPUT;
            app_flash(u->app, false, "edit the draft; Enter approves it, Esc gives up");
        }
        break;
    case CMD_REJECT: {
        cmd_parsed one = p;
        bool numbered = p.argc >= 1 && strspn(p.argv[0], "0123456789") == strlen(p.argv[0]);
        if (!numbered)
            one.argc = 0;
        if ((d = pick_draft(u, &one))) {
            const char *reason = NULL;
            if (numbered) {
                reason = p.rest + strlen(p.argv[0]);
                while (*reason == ' ')
                    reason++;
            } else {
                reason = p.rest;
            }
            app_reject(u->app, d, *reason ? reason : NULL);
        }
        break;
    }
    case CMD_CHAT:
        c = app_new_chat(u->app, p.argc ? p.argv[0] : NULL);
        ui_select(u, c);
        break;
    case CMD_MODEL:
        if (!u->cur || u->cur->kind != CONV_CHAT)
            app_flash(u->app, true, "/model works in a chat (start one with /chat)");
        else {
            app_set_chat_model(u->app, u->cur, p.argv[0]);
            app_flash(u->app, false, "this chat now talks to %s", p.argv[0]);
        }
        break;
    case CMD_CANCEL:
        if (u->cur_cmp) {
            if (!compare_cancel(u->cur_cmp->c, -1))
                app_flash(u->app, false, "nothing is running in this comparison");
        } else if (!u->cur || !app_cancel_stream(u->app, u->cur)) {
            app_flash(u->app, false, "nothing is streaming here");
        }
        break;
    case CMD_RETRY: {
        msg *last = NULL;
        for (size_t i = u->cur ? u->cur->nmsgs : 0; i > 0 && !last; i--) {
            msg *mm = u->cur->msgs[i - 1];
            if (mm->state == MSG_UNSENT || mm->state == MSG_UNCERTAIN)
                last = mm;
        }
        if (!last || !app_retry(u->app, u->cur, last))
            app_flash(u->app, false, "there is no unsent message here");
        break;
    }
    case CMD_SAVE:
        cmd_save(u, &p);
        break;
    case CMD_SEARCH:
        free(u->search);
        u->search = xstrdup(p.rest);
        if (!convpane_search(u, u->search, false))
            app_flash(u->app, true, "not found: %s", u->search);
        break;
    case CMD_FILTER: {
        ai_mode f = ai_mode_from_string(p.argv[0]);
        if (f == AI_MODE_UNKNOWN && strcmp(p.argv[0], "all")) {
            app_flash(u->app, true, "/filter: all, ai, shadow or takeover");
            break;
        }
        u->filter = f;
        ui_rebuild_sorted(u);
        break;
    }
    case CMD_THEME: {
        char *terr = NULL;
        extern theme_t *console_load_theme(const char *name, char **err);
        theme_t *t = console_load_theme(p.argv[0], &terr);
        if (!t) {
            app_flash(u->app, true, "/theme: %s", terr);
            free(terr);
        } else {
            ui_apply_theme(u, t);
            clearok(curscr, TRUE);
        }
        break;
    }
    case CMD_RELOAD:
        app_reload(u->app);
        break;
    case CMD_CLOSE:
        if (u->cur && u->cur->kind == CONV_CHAT) {
            conv *gone = u->cur;
            app_cancel_stream(u->app, gone);
            ui_select(u, NULL);
            model_remove(u->m, gone);
            ui_rebuild_sorted(u);
            ui_select(u, u->nsorted ? u->sorted[0] : NULL);
        } else {
            app_flash(u->app, true, "/close closes chats; workspaces end with /end");
        }
        break;
    case CMD_GATE:
        gate_command(u, &p);
        break;
    case CMD_COMPARE:
    case CMD_RERUN:
    case CMD_VOTE:
    case CMD_ZOOM:
    case CMD_CONTINUE:
    case CMD_REOPEN:
        compare_command(u, p.def->id, &p);
        break;
    case CMD_COUNT:
        break;
    }
    cmd_parsed_free(&p);
}

void console_submit(ui *u, const char *line)
{
    if (u->editing_draft) {
        draft *d = model_find_draft(u->m, u->editing_draft);
        if (!d)
            app_flash(u->app, true, "that draft was decided meanwhile; your edit was not sent");
        else if (*line)
            app_approve(u->app, d, strcmp(line, d->content) ? line : NULL);
        free(u->editing_draft);
        u->editing_draft = NULL;
        return;
    }
    if (line[0] == '/' && line[1] != '/') {
        run_command(u, line);
        return;
    }
    const char *text = line[0] == '/' ? line + 1 : line; /* "//" sends a slash */
    if (!*text)
        return;
    if (u->cur_cmp) {
        compare_submit(u, text);
        return;
    }
    if (!u->cur) {
        app_flash(u->app, true, "pick a conversation first (/chat, /new, /open, or the sidebar)");
        input_set_text(u, line); /* keep what was typed */
        return;
    }
    convui *cu = ui_convui(u, u->cur);
    app_send(u->app, u->cur, text, cu->as_agent);
    scroll_end(&cu->sc);
}

/* ----------------------------------------------------------------- keys */

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

static void drafts_key(ui *u, int is_key, wint_t ch)
{
    size_t n = u->m->ndrafts;
    if (is_key && ch == KEY_UP && u->draft_sel > 0)
        u->draft_sel--;
    else if (is_key && ch == KEY_DOWN && u->draft_sel + 1 < n)
        u->draft_sel++;
    else if (!is_key && (ch == 27 || ch == 'q'))
        u->focus = FOCUS_INPUT;
    else if (!is_key && ch == 'a' && u->draft_sel < n)
        app_approve(u->app, u->m->drafts[u->draft_sel], NULL);
    else if (!is_key && ch == 'e' && u->draft_sel < n)
        run_command(u, "/edit");
    else if (!is_key && ch == 'r' && u->draft_sel < n) {
        char *pre = xasprintf("/reject %zu ", u->draft_sel + 1);
        input_set_text(u, pre);
        free(pre);
        u->focus = FOCUS_INPUT;
        app_flash(u->app, false, "type the reason, then Enter");
    } else if (!is_key && (ch == '\r' || ch == '\n') && u->draft_sel < n) {
        conv *c = model_find(u->m, u->m->drafts[u->draft_sel]->ws_id);
        if (c)
            ui_select(u, c);
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
static void read_keys(ui *u)
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
                input_key(u, 0, 27);
                input_key(u, r2 == KEY_CODE_YES, next);
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
            input_key(u, 1, ch);
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
        input_key(u, 0, ch);
    }
}

/* ---------------------------------------------------------------- frame */

static void relayout(ui *u)
{
    layout_opts o = {0};
    o.drafts_open = u->focus == FOCUS_DRAFTS || (u->m->ndrafts > 0 && u->cols >= 100 && u->rows >= 30);
    o.ndrafts = (int)u->m->ndrafts;
    o.typing = u->cur && (u->cur->typing || u->cur->agent_typing);
    o.input_lines = input_lines(u);
    getmaxyx(stdscr, u->rows, u->cols);
    layout_compute(u->rows, u->cols, &o, &u->lay);
}

static void draw_main(ui *u)
{
    if (u->gate_view)
        gatepane_draw(u);
    else if (u->cur_cmp)
        comparepane_draw(u);
    else
        convpane_draw(u);
}

static void blank_rect(ui *u, rect r)
{
    for (int y = 0; y < r.h; y++)
        ui_blank(u, r.y + y, r.x, r.w, ui_style(u, THEME_DEFAULT));
}

/* One frame. Most frames come from text streaming into one pane: then only
 * that pane (and the status bar, if it changed) is drawn again, so the
 * cost of a frame is the pane's, not the screen's. Anything else (a key,
 * a new message, a resize, an overlay) redraws everything. */
static void draw(ui *u)
{
    layout old = u->lay;
    relayout(u);
    const app_status *st = app_get_status(u->app);
    bool full = u->dirty || memcmp(&old, &u->lay, sizeof old) != 0 || u->m->rev != u->seen_model_rev ||
                u->cur != u->seen_conv || (u->cur && u->cur->rev != u->seen_conv_rev) ||
                u->focus == FOCUS_HELP || u->focus == FOCUS_PICKER;
    if (full) {
        erase();
        u->erase_epoch++;
        sidebar_draw(u);
        title_draw(u);
        draw_main(u);
        typing_draw(u);
        drafts_draw(u);
        status_draw(u);
        if (u->focus == FOCUS_HELP)
            help_draw(u);
        if (u->focus == FOCUS_PICKER)
            picker_draw(u);
    } else {
        bool cmp_moved = compare_signature(u) != u->seen_cmp_sig;
        if (cmp_moved)
            sidebar_draw(u); /* a comparison's "running" mark */
        if (cmp_moved || convpane_signature(u) != u->seen_sig ||
            (u->gate && gatectl_get(u->gate)->rev != u->seen_gate_rev)) {
            /* The conversation pane skips its unchanged rows by itself. */
            if (u->gate_view || u->cur_cmp)
                blank_rect(u, u->lay.conv);
            draw_main(u);
        }
        if (st->rev != u->seen_status_rev)
            status_draw(u);
    }
    input_draw(u); /* always: it puts the cursor back in the input line */
    if (u->focus != FOCUS_INPUT)
        curs_set(0);
    else
        curs_set(1);
    wnoutrefresh(stdscr);
    doupdate();
    u->frames++;
}

/* Whether anything on screen is out of date. */
static bool needs_draw(ui *u)
{
    if (u->dirty)
        return true;
    const app_status *st = app_get_status(u->app);
    if (st->rev != u->seen_status_rev || u->m->rev != u->seen_model_rev)
        return true;
    if (u->gate && gatectl_get(u->gate)->rev != u->seen_gate_rev)
        return true;
    if (compare_signature(u) != u->seen_cmp_sig)
        return true;
    if (u->cur != u->seen_conv || (u->cur && u->cur->rev != u->seen_conv_rev))
        return true;
    return convpane_signature(u) != u->seen_sig;
}

static void mark_seen(ui *u)
{
    const app_status *st = app_get_status(u->app);
    u->seen_status_rev = st->rev;
    u->seen_model_rev = u->m->rev;
    u->seen_conv = u->cur;
    u->seen_conv_rev = u->cur ? u->cur->rev : 0;
    u->seen_sig = convpane_signature(u);
    u->seen_cmp_sig = compare_signature(u);
    u->dirty = false;
}

static void after_events(ui *u)
{
    if (u->m->rev != u->seen_model_rev)
        ui_rebuild_sorted(u);
    conv *f = app_take_focus(u->app);
    if (f) {
        ui_select(u, f);
        /* Created here: we are its customer; found by client id: its agent. */
        ui_convui(u, f)->as_agent = !f->mine;
    }
    if (u->m->new_drafts) {
        /* A draft waits: ring once (terminals turn the bell into urgency). */
        beep();
        u->m->new_drafts = 0;
    }
    if (u->draft_sel >= u->m->ndrafts && u->m->ndrafts)
        u->draft_sel = u->m->ndrafts - 1;
}

/* Benchmark hooks (bench/, docs/performance.md): with
 * AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME=1 the console quits right after its
 * first frame; at exit the debug log gets the number of frames drawn. */
static int loop(ui *u)
{
    const char *bench_env = getenv("AIDESK_BENCH_EXIT_AFTER_FIRST_FRAME");
    bool bench_exit = bench_env && !strcmp(bench_env, "1");
    int64_t started_ms = clock_mono_ms(), shortest_gap = -1;
    struct pollfd fds[3];
    fds[0].fd = STDIN_FILENO;
    fds[0].events = POLLIN;
    fds[1].fd = net_wake_fd(u->net);
    fds[1].events = POLLIN;
    fds[2].fd = term_signal_fd();
    fds[2].events = POLLIN;
    while (!u->quit) {
        int64_t now = clock_mono_ms();
        long timeout = app_next_timer_ms(u->app, now);
        long ct = compares_next_timer_ms(u, now);
        if (ct >= 0 && (timeout < 0 || ct < timeout))
            timeout = ct;
        if (u->gate) {
            /* The Gate pane's countdowns run on the wall clock. */
            long g = gatectl_next_timer_ms(u->gate, clock_wall_ms());
            if (g >= 0 && (timeout < 0 || g < timeout))
                timeout = g;
        }
        if (needs_draw(u)) {
            long frame = u->dirty ? FRAME_MS : STREAM_FRAME_MS;
            long until_frame = frame - (long)(now - u->last_draw_ms);
            if (until_frame <= 0) {
                if (u->frames && (shortest_gap < 0 || now - u->last_draw_ms < shortest_gap))
                    shortest_gap = now - u->last_draw_ms;
                draw(u);
                mark_seen(u);
                u->last_draw_ms = now;
                u->quit = u->quit || bench_exit;
                continue;
            }
            if (timeout < 0 || until_frame < timeout)
                timeout = until_frame;
        }
        int n = poll(fds, 3, (int)timeout);
        if (n < 0 && errno != EINTR)
            return 1;
        if (n > 0 && (fds[2].revents & POLLIN)) {
            term_signals s = term_take_signals();
            if (s.quit)
                u->quit = true;
            if (s.suspend)
                term_suspend();
            if (s.resize || s.resumed || s.suspend) {
                term_resize();
                clearok(curscr, TRUE);
                u->dirty = true;
            }
        }
        if (n > 0 && (fds[1].revents & POLLIN)) {
            app_drain(u->app);
            after_events(u);
        }
        if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP)))
            read_keys(u);
        app_tick(u->app, clock_mono_ms());
        compares_tick(u, clock_mono_ms());
        if (u->gate)
            gatectl_tick(u->gate, clock_wall_ms());
        after_events(u);
    }
    log_msg("console: %lld frames in %lld ms, shortest gap %lld ms", (long long)u->frames,
            (long long)(clock_mono_ms() - started_ms), (long long)shortest_gap);
    return 0;
}

/* ------------------------------------------------------------ life cycle */

int console_run(const config_t *cfg, const console_opts *opts)
{
    setlocale(LC_ALL, "");
    net_config nc = {0};
    nc.insecure_tls = cfg->insecure_tls;
    /* A small queue: the screen never shows more than a frame's worth, and
     * a fast stream should wait in the kernel, not in our memory. */
    nc.max_queued_bytes = 1024 * 1024;
    net_t *net = net_new(&nc);
    if (!net) {
        fprintf(stderr, "aidesk: cannot start the network thread\n");
        return 1;
    }
    char *err = NULL;
    app_t *app = app_new(cfg, net, &err);
    if (!app) {
        fprintf(stderr, "aidesk: %s\n", err);
        free(err);
        net_free(net);
        return 2;
    }
    ui u;
    memset(&u, 0, sizeof u);
    u.cfg = cfg;
    u.net = net;
    u.app = app;
    u.m = app_model(app);
    u.filter = AI_MODE_UNKNOWN;
    extern theme_t *console_initial_theme(const config_t *cfg, char **err);
    char *terr = NULL;
    theme_t *theme = console_initial_theme(cfg, &terr);
    if (term_init() != 0) {
        app_free(app);
        net_free(net);
        return 1;
    }
    ui_apply_theme(&u, theme);
    input_init(&u);
    u.gate = gatectl_new(app, &u.gate_err);
    app_start(app);
    if (terr) {
        app_flash(app, true, "%s; using the built-in theme", terr);
        free(terr);
    } else if (opts && opts->demo_note) {
        app_flash(app, false, "%s", opts->demo_note);
    }
    int rc = loop(&u);
    input_end(&u);
    term_end();
    compares_free(&u);
    picker_free(u.pick);
    gatectl_free(u.gate);
    free(u.gate_err);
    app_free(app);
    net_free(net);
    theme_free(u.theme);
    for (size_t i = 0; i < u.ncuis; i++)
        free(u.cuis[i].conv_id);
    free(u.cuis);
    free(u.sorted);
    free(u.editing_draft);
    free(u.search);
    return rc;
}
