/* model_wait.c: who waits for a person, and since when (wait.h). */
#include "config.h"
#include "model/wait.h"

#include <stdio.h>
#include <string.h>

/* Since when c's customer waits for a human answer: the first of the
 * customer messages at the end of c that no human or AI message follows;
 * for messages not in memory, the summary's word. 0: not waiting. A
 * conversation held as a window (model.h) has its newest messages: a
 * wait is at the end, so the window holds what it needs, but for a
 * customer who wrote more than the whole window unanswered, whose wait
 * then starts at the window's first message. */
static int64_t human_since(const conv *c)
{
    int64_t answered = c->last_human_ms > c->last_ai_ms ? c->last_human_ms : c->last_ai_ms;
    int64_t first = 0;
    bool reached_start = true;
    for (size_t i = c->nmsgs; i > 0; i--) {
        const msg *mm = c->msgs[i - 1];
        if (mm->kind != MSG_KIND_MESSAGE || mm->role == AI_ROLE_SYSTEM)
            continue;
        if (mm->role == AI_ROLE_USER) {
            if (mm->at_ms > answered || !answered)
                first = mm->at_ms;
            continue;
        }
        if (mm->state == MSG_FINAL) {
            reached_start = false; /* an answer: what came before it is answered */
            break;
        }
    }
    /* What is not in memory: the listing's last message, unless an answer
     * is known to have come after it. */
    if (reached_start && c->listed_wait_ms && c->listed_wait_ms > answered &&
        (!first || c->listed_wait_ms < first))
        first = c->listed_wait_ms;
    return first;
}

static bool waits_at_all(const conv *c)
{
    return c && c->kind == CONV_WORKSPACE && !c->ended;
}

void model_wait(const model *m, const conv *c, wait_info *out)
{
    (void)m; /* the drafts' part is kept on c (model.c keeps it exact) */
    memset(out, 0, sizeof *out);
    if (!waits_at_all(c))
        return;
    if (c->mode == AI_MODE_TAKEOVER && (out->human_since_ms = human_since(c)) != 0)
        out->what |= WAIT_HUMAN;
    if (c->drafts) {
        out->what |= WAIT_APPROVAL;
        out->approval_since_ms = c->draft_since_ms;
    }
    out->since_ms = out->human_since_ms;
    if (out->approval_since_ms && (!out->since_ms || out->approval_since_ms < out->since_ms))
        out->since_ms = out->approval_since_ms;
}

/* Calls fn for every workspace that may wait: those in takeover, and
 * those with pending drafts. */
typedef void (*each_fn)(const model *m, conv *c, void *ud);

static void each_waiting(const model *m, each_fn fn, void *ud)
{
    for (size_t i = 0; i < m->nconvs; i++) {
        conv *c = m->convs[i];
        if (waits_at_all(c) && (c->mode == AI_MODE_TAKEOVER || c->drafts))
            fn(m, c, ud);
    }
}

typedef struct longest {
    conv *c;
    wait_info w;
} longest;

static void consider_longest(const model *m, conv *c, void *ud)
{
    longest *l = ud;
    wait_info w;
    model_wait(m, c, &w);
    if (w.since_ms && (!l->c || w.since_ms < l->w.since_ms)) {
        l->c = c;
        l->w = w;
    }
}

conv *model_longest_wait(const model *m, wait_info *out)
{
    longest l;
    memset(&l, 0, sizeof l);
    each_waiting(m, consider_longest, &l);
    if (out)
        *out = l.w;
    return l.c;
}

bool wait_is_late(const wait_info *w, int64_t now_ms, int64_t late_ms)
{
    return late_ms > 0 && w->since_ms && now_ms - w->since_ms > late_ms;
}

typedef struct next_late {
    int64_t now, late, at;
} next_late;

static void consider_late(const model *m, conv *c, void *ud)
{
    next_late *n = ud;
    wait_info w;
    model_wait(m, c, &w);
    /* Each kind turns late on its own (a pane may show both). */
    int64_t since[2] = {w.human_since_ms, w.approval_since_ms};
    for (int i = 0; i < 2; i++) {
        int64_t at = since[i] + n->late + 1;
        if (since[i] && at > n->now && (!n->at || at < n->at))
            n->at = at;
    }
}

int64_t model_next_late(const model *m, int64_t now_ms, int64_t late_ms)
{
    if (late_ms <= 0)
        return 0;
    next_late n = {now_ms, late_ms, 0};
    each_waiting(m, consider_late, &n);
    return n.at;
}

/* ------------------------------------------------------------ figures */

int64_t wait_fig_next_ms(int64_t ms)
{
    if (ms < 0)
        return -ms + 1000; /* a time ahead of the clock: "0s" until then, and a second */
    int64_t step = ms < 60 * 1000 ? 1000 : ms < 3600 * 1000 ? 60 * 1000
                 : ms < 48 * 3600 * 1000LL ? 3600 * 1000 : 86400 * 1000LL;
    return step - ms % step;
}

int64_t wait_fig_next_wall(int64_t now_wall, int64_t since_ms, int64_t late_ms)
{
    int64_t next = now_wall + wait_fig_next_ms(now_wall - since_ms);
    next = (next + 999) / 1000 * 1000;
    int64_t late_at = since_ms + late_ms + 1;
    if (late_ms > 0 && late_at > now_wall && late_at < next)
        next = (late_at + 999) / 1000 * 1000;
    return next;
}

void wait_fig(int64_t ms, char *out)
{
    int64_t s = ms < 0 ? 0 : ms / 1000, v;
    char unit;
    if (s < 60) {
        v = s, unit = 's';
    } else if (s < 3600) {
        v = s / 60, unit = 'm';
    } else if (s < 48 * 3600) {
        v = s / 3600, unit = 'h';
    } else {
        v = s / 86400, unit = 'd';
    }
    snprintf(out, WAIT_FIG_COLS + 1, "%2d%c", (int)(v > 99 ? 99 : v), unit);
}
