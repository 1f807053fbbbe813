/* gatecmd.c: /gate, the AI Gate command: the pane, a new realtime
 * session, TURN credentials, health, copying a session's secrets. */
#include "config.h"
#include "cmds.h"
#include "callpane.h"
#include "gatepane.h"
#include "ui.h"

#include <stdlib.h>
#include <string.h>

static bool parse_temperature(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end)
        return false;
    *out = v;
    return true;
}

void uicmd_gate(ui *u, const cmd_parsed *p)
{
    gatepane *gp = gatepane_of(u);
    if (!u->gate) {
        desk_flash(u->desk, true, "%s", u->gate_err ? u->gate_err : "AI Gate is not configured");
        return;
    }
    if (p->argc == 0) {
        gate_open(u);
        return;
    }
    const char *sub = p->argv[0];
    if (!strcmp(sub, "turn")) {
        gatectl_turn(u->gate);
        gate_open(u);
    } else if (!strcmp(sub, "call")) {
        /* /gate call [N]: the chosen session, or session N. */
        size_t i = gp->sel;
        if (p->argc > 1) {
            long n = strtol(p->argv[1], NULL, 10);
            if (n < 1 || (size_t)n > gatectl_get(u->gate)->nsessions) {
                desk_flash(u->desk, true, "/gate call: no session %s", p->argv[1]);
                return;
            }
            i = (size_t)n - 1;
        }
        call_open(u, i);
    } else if (!strcmp(sub, "health")) {
        gatectl_health(u->gate);
        gate_open(u);
    } else if (!strcmp(sub, "show")) {
        gp->secrets = !gp->secrets;
        gp->details = true;
        gate_open(u);
    } else if (!strcmp(sub, "copy")) {
        gatectl_copy_what what = GATECTL_COPY_SECRET;
        if (p->argc > 1 && !strcmp(p->argv[1], "curl"))
            what = GATECTL_COPY_CURL;
        else if (p->argc > 1 && !strcmp(p->argv[1], "json"))
            what = GATECTL_COPY_JSON;
        else if (p->argc > 1 && strcmp(p->argv[1], "secret")) {
            desk_flash(u->desk, true, "/gate copy: secret, curl or json");
            return;
        }
        if (p->argc > 2) {
            long n = strtol(p->argv[2], NULL, 10);
            if (n < 1 || (size_t)n > gatectl_get(u->gate)->nsessions) {
                desk_flash(u->desk, true, "/gate copy: no session %s", p->argv[2]);
                return;
            }
            gp->sel = (size_t)n - 1;
        }
        gate_copy(u, what);
    } else if (!strcmp(sub, "session")) {
        gate_session_params sp;
        gate_session_params_init(&sp);
        for (int i = 1; i < p->argc; i += 2) { /* option, value */
            const char *o = p->argv[i];
            const char *v = i + 1 < p->argc ? p->argv[i + 1] : NULL;
            if (!v) {
                desk_flash(u->desk, true, "/gate session: %s needs a value", o);
                return;
            }
            if (!strcmp(o, "--voice"))
                sp.voice = v;
            else if (!strcmp(o, "--model"))
                sp.model = v;
            else if (!strcmp(o, "--instructions"))
                sp.instructions = v;
            else if (!strcmp(o, "--temperature")) {
                if (!parse_temperature(v, &sp.temperature)) {
                    desk_flash(u->desk, true, "/gate session: the temperature is a number from 0 to 1");
                    return;
                }
            } else {
                desk_flash(u->desk, true, "/gate session: unknown option %s (--voice, --model, "
                                        "--temperature, --instructions)", o);
                return;
            }
        }
        char *err = NULL;
        if (!gatectl_create(u->gate, &sp, &err)) {
            desk_flash(u->desk, true, "%s", err);
            free(err);
        }
        gate_open(u);
    } else {
        desk_flash(u->desk, true, "usage: /gate %s", cmd_find("gate")->usage);
    }
}
