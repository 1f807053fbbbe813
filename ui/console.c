/* console.c: the interactive console. */
#include "config.h"
#include "console.h"

#include <stdio.h>

int console_run(const config_t *cfg, const console_opts *opts)
{
    (void)cfg;
    (void)opts;
    fprintf(stderr, "aidesk: the interactive console is being built; use a subcommand (aidesk --help)\n");
    return 1;
}
