/* simlaunch.h: start the bundled simulator for --demo, and stop it.
 *
 * Used by the command line (one subcommand against a fresh simulator) and
 * the console (with simulated customers). No curses here.
 *
 * Where the simulator is looked for, first found wins:
 *   1. $AIDESK_SIM;
 *   2. sim/aidesk-sim beside the executable (an in-tree build), or in the
 *      source tree above a VPATH build directory (build/main/aidesk ->
 *      ../../sim/aidesk-sim);
 *   3. aidesk-sim beside the executable (installed in the same bindir);
 *   4. AIDESK_BINDIR/aidesk-sim (the configured bindir);
 *   5. aidesk-sim on $PATH.
 * It runs as `python3 SIM --host 127.0.0.1 --port 0 --port-file F --quiet
 * EXTRA...` ($PYTHON3 overrides python3), in a private temporary directory
 * (0700) that holds the port file and its log (stdout and stderr), in its
 * own process group so a Ctrl-C on the terminal does not reach it, and
 * (on Linux) told to stop if aidesk dies. */
#ifndef AIDESK_DEMO_SIMLAUNCH_H
#define AIDESK_DEMO_SIMLAUNCH_H

#include "config/settings.h"

typedef struct simlaunch simlaunch;

/* The demo's credentials, which the simulator accepts by default. */
#define SIMLAUNCH_API_KEY "aai_demo_agent"
#define SIMLAUNCH_PROJECT_ID "proj_demo"

/* Starts the simulator with extra arguments (NULL-terminated, may be NULL;
 * the console passes "--customers", "4") and waits up to 10 s for its port.
 * argv0 helps find the executable when /proc is missing. Returns the
 * running simulator, or NULL with *err set to a message (with the last
 * lines of its log when it died); caller frees *err. */
simlaunch *simlaunch_start(const char *argv0, const char *const *extra_args, char **err);

/* "http://127.0.0.1:PORT" (owned by s). */
const char *simlaunch_url(const simlaunch *s);

/* Points cfg at the simulator, in memory only: both base URLs, the demo
 * key and project id (registered as log secrets), with origin "--demo". */
void simlaunch_apply(const simlaunch *s, config_t *cfg);

/* Scripting against the demo from another terminal (simlaunch_env.c):
 * `aidesk --demo CMD` starts a fresh simulator for each call, so calls
 * that build on each other (ws create, then ws send) need the simulator
 * of a running demo instead. simlaunch_exports gives the shell lines that
 * point aidesk there, with the demo's keys (an agent key, which may make
 * manager calls too; the simulator's user key is aai_demo_user):
 *   export AIASSIST_BASE_URL=http://127.0.0.1:PORT
 *   export AIASSIST_API_KEY=aai_demo_agent
 *   export AI_GATE_BASE_URL=http://127.0.0.1:PORT
 *   export AI_GATE_PROJECT_ID=proj_demo
 * Caller frees. */
char *simlaunch_exports(const simlaunch *s);
/* Writes those lines to <state>/demo.env (mode 0600, replacing what an
 * earlier demo left), so that another terminal can source them while this
 * demo runs. Returns the path (caller frees), or NULL with *err. */
char *simlaunch_share(const simlaunch *s, char **err);
/* Removes the file at path unless another demo has written it since (it
 * names another simulator). */
void simlaunch_unshare(const simlaunch *s, const char *path);

/* Stops the simulator (SIGTERM, then SIGKILL after 2 s), reaps it, removes
 * its directory and frees s. NULL is fine. */
void simlaunch_stop(simlaunch *s);

#endif
