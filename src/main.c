/* main.c: the aidesk program's entry point: the command line, the
 * configuration, then a subcommand (src/cli) or the console (ui/). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "cli/cli.h"
#include "config/settings.h"
#include "console.h"
#include "demo/simlaunch.h"
#include "util/log.h"

/* Loads the configuration and opens the debug log; 0 or an exit status. */
static int setup(const cli_args *a, config_t **cfg)
{
    config_options o;
    cli_config_options(a, &o);
    char *err = NULL;
    if (config_load(&o, cfg, &err) != 0) {
        cli_error("%s", err);
        free(err);
        return 2;
    }
    if ((*cfg)->debug_log) {
        int rc = log_open((*cfg)->debug_log);
        if (rc != 0) {
            cli_error("cannot open the debug log %s: %s", (*cfg)->debug_log, strerror(-rc));
            config_free(*cfg);
            *cfg = NULL;
            return 2;
        }
        log_msg("aidesk %s started", PACKAGE_VERSION);
    }
    return 0;
}

/* The console's demo: another terminal can script against its simulator
 * while it runs (one `aidesk --demo CMD` has a simulator of its own). The
 * lines go to stderr before the screen is taken, and into a file whose
 * path the console's first status line names. Returns that path, or NULL. */
static char *demo_share(const simlaunch *sim, char *note, size_t n)
{
    char *err = NULL, *path = simlaunch_share(sim, &err);
    char *lines = simlaunch_exports(sim);
    fprintf(stderr,
            "aidesk: demo: the simulator runs at %s\n"
            "aidesk: to script against it from another terminal while the console runs:\n%s",
            simlaunch_url(sim), lines);
    if (path)
        fprintf(stderr, "aidesk: (or: . %s)\n", path);
    else
        fprintf(stderr, "aidesk: (not written to a file: %s)\n", err);
    free(lines);
    free(err);
    if (path)
        snprintf(note, n, "demo: the simulator runs at %s; other terminals: . %s",
                 simlaunch_url(sim), path);
    return path;
}

static int run(const cli_args *a, const char *argv0)
{
    config_t *cfg = NULL;
    int rc = setup(a, &cfg);
    if (rc != 0)
        return rc;
    simlaunch *sim = NULL;
    char *shared = NULL; /* the demo's exports for other terminals (simlaunch.h) */
    char note[512] = "";
    if (a->g.demo) {
        /* The console gets simulated customers; a subcommand a quiet server. */
        static const char *const customers[] = {"--customers", "4", NULL};
        char *err = NULL;
        sim = simlaunch_start(argv0, a->cmd ? NULL : customers, &err);
        if (!sim) {
            cli_error("--demo: %s", err);
            free(err);
            log_close();
            config_free(cfg);
            return 1;
        }
        simlaunch_apply(sim, cfg);
        snprintf(note, sizeof note, "demo: the simulator runs at %s", simlaunch_url(sim));
        if (a->cmd && !a->g.quiet)
            fprintf(stderr, "aidesk: %s\n", note);
        if (!a->cmd)
            shared = demo_share(sim, note, sizeof note);
    }
    if (a->cmd) {
        rc = cli_run(a, cfg);
    } else {
        console_opts copts = {a->g.demo, note[0] ? note : NULL};
        rc = console_run(cfg, &copts);
    }
    simlaunch_unshare(sim, shared);
    free(shared);
    simlaunch_stop(sim);
    log_close();
    config_free(cfg);
    return rc;
}

int main(int argc, char **argv)
{
    /* Before any thread: libcurl's global state is not thread-safe. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* A closed pipe or socket is an error return, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    cli_args a;
    int rc;
    if (cli_parse(argc, argv, &a) != 0)
        rc = 2;
    else if (!cli_info(&a, &rc))
        rc = run(&a, argv[0]);
    cli_args_free(&a);
    curl_global_cleanup();
    return rc;
}
