/* main.c: the aidesk program's entry point. */
#include "config.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: aidesk [OPTION]...\n"
            "A terminal console for AiAssist and AI Gate.\n"
            "\n"
            "  -h, --help       show this help and exit\n"
            "  -V, --version    show the version and exit\n");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(argv[i], "-V") || !strcmp(argv[i], "--version")) {
            printf("aidesk %s\n", PACKAGE_VERSION);
            return 0;
        }
        fprintf(stderr, "aidesk: unknown option '%s'\nTry 'aidesk --help'.\n", argv[i]);
        return 2;
    }
    usage(stderr);
    return 2;
}
