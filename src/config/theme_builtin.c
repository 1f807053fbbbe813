/* theme_builtin.c: the built-in themes, always available without files.
 *
 * The dark default is also shipped as themes/default.theme and the
 * monochrome one as themes/monochrome.theme; the unit tests check that each
 * file and its table here say the same. Values are theme file syntax (see
 * theme.h), so the same parser reads both. */
#include "config.h"
#include "config/theme.h"

#include <stdio.h>
#include <stdlib.h>

/* Dark: soft, distinct colours on the terminal's own background. 256-colour
 * values with 8/16-colour fallbacks. */
static const char *const dark[THEME_N_STYLES] = {
    [THEME_DEFAULT] = "default default",
    [THEME_BORDER] = "240/brightblack default",
    [THEME_TITLE] = "255/brightwhite default bold",
    [THEME_SIDEBAR] = "default default",
    [THEME_SIDEBAR_SELECTED] = "234/black 110/cyan bold",
    [THEME_SIDEBAR_DIM] = "243/brightblack default",
    [THEME_BADGE_AI] = "114/green default bold",
    [THEME_BADGE_SHADOW] = "214/yellow default bold",
    [THEME_BADGE_TAKEOVER] = "203/brightred default bold",
    [THEME_BADGE_CHAT] = "111/brightblue default bold",
    [THEME_UNREAD] = "81/brightcyan default bold",
    [THEME_DRAFTS_COUNT] = "214/yellow default",
    [THEME_TYPING] = "245/brightblack default italic",
    [THEME_TYPING_INDICATOR] = "114/green default bold",
    [THEME_ROLE_CUSTOMER] = "223/yellow default bold",
    [THEME_ROLE_AI] = "114/green default bold",
    [THEME_ROLE_HUMAN] = "117/cyan default bold",
    [THEME_ROLE_SYSTEM] = "245/brightblack default italic",
    [THEME_ROLE_YOU] = "183/magenta default bold",
    [THEME_META] = "243/brightblack default",
    [THEME_STATE_STREAMING] = "116/cyan default italic",
    [THEME_STATE_FAILED] = "203/brightred default bold",
    [THEME_STATE_UNSENT] = "214/yellow default",
    [THEME_MD_EMPH] = "default default italic",
    [THEME_MD_STRONG] = "default default bold",
    [THEME_MD_CODE] = "216/yellow 236/default",
    [THEME_MD_CODEBLOCK] = "252/white 235/default",
    [THEME_MD_HEADING] = "153/brightcyan default bold",
    [THEME_MD_QUOTE] = "246/brightblack default italic",
    [THEME_MD_LINK] = "75/brightblue default underline",
    [THEME_MD_LISTMARKER] = "179/yellow default",
    [THEME_PLACEHOLDER] = "170/magenta default",
    [THEME_SEARCH_MATCH] = "16/black 220/yellow",
    [THEME_DRAFTS] = "default default",
    [THEME_DRAFTS_SELECTED] = "234/black 110/cyan bold",
    [THEME_STATUS] = "252/white 237/blue",
    [THEME_STATUS_OK] = "114/brightgreen 237/blue bold",
    [THEME_STATUS_WARN] = "214/brightyellow 237/blue bold",
    [THEME_STATUS_ERROR] = "203/brightred 237/blue bold",
    [THEME_FLASH_INFO] = "234/black 152/cyan",
    [THEME_FLASH_ERROR] = "231/brightwhite 160/red bold",
    [THEME_INPUT] = "default default",
    [THEME_INPUT_PROMPT] = "111/brightblue default bold",
    [THEME_HELP] = "default default",
    [THEME_HELP_KEY] = "222/brightyellow default bold",
    [THEME_NEWBELOW] = "234/black 214/yellow bold",
};

/* No colours: what NO_COLOR and colourless terminals get. */
static const char *const mono[THEME_N_STYLES] = {
    [THEME_DEFAULT] = "default default",
    [THEME_BORDER] = "default default",
    [THEME_TITLE] = "default default bold",
    [THEME_SIDEBAR] = "default default",
    [THEME_SIDEBAR_SELECTED] = "default default reverse bold",
    [THEME_SIDEBAR_DIM] = "default default dim",
    [THEME_BADGE_AI] = "default default bold",
    [THEME_BADGE_SHADOW] = "default default bold underline",
    [THEME_BADGE_TAKEOVER] = "default default bold reverse",
    [THEME_BADGE_CHAT] = "default default",
    [THEME_UNREAD] = "default default bold",
    [THEME_DRAFTS_COUNT] = "default default bold",
    [THEME_TYPING] = "default default dim",
    [THEME_TYPING_INDICATOR] = "default default bold",
    [THEME_ROLE_CUSTOMER] = "default default bold",
    [THEME_ROLE_AI] = "default default bold",
    [THEME_ROLE_HUMAN] = "default default bold",
    [THEME_ROLE_SYSTEM] = "default default dim",
    [THEME_ROLE_YOU] = "default default bold underline",
    [THEME_META] = "default default dim",
    [THEME_STATE_STREAMING] = "default default italic",
    [THEME_STATE_FAILED] = "default default bold underline",
    [THEME_STATE_UNSENT] = "default default underline",
    [THEME_MD_EMPH] = "default default italic",
    [THEME_MD_STRONG] = "default default bold",
    [THEME_MD_CODE] = "default default reverse",
    [THEME_MD_CODEBLOCK] = "default default",
    [THEME_MD_HEADING] = "default default bold underline",
    [THEME_MD_QUOTE] = "default default italic",
    [THEME_MD_LINK] = "default default underline",
    [THEME_MD_LISTMARKER] = "default default bold",
    [THEME_PLACEHOLDER] = "default default reverse",
    [THEME_SEARCH_MATCH] = "default default standout",
    [THEME_DRAFTS] = "default default",
    [THEME_DRAFTS_SELECTED] = "default default reverse",
    [THEME_STATUS] = "default default reverse",
    [THEME_STATUS_OK] = "default default reverse",
    [THEME_STATUS_WARN] = "default default reverse bold",
    [THEME_STATUS_ERROR] = "default default reverse bold",
    [THEME_FLASH_INFO] = "default default reverse",
    [THEME_FLASH_ERROR] = "default default reverse bold",
    [THEME_INPUT] = "default default",
    [THEME_INPUT_PROMPT] = "default default bold",
    [THEME_HELP] = "default default",
    [THEME_HELP_KEY] = "default default bold underline",
    [THEME_NEWBELOW] = "default default reverse bold",
};

/* The tables are fixed text checked by the unit tests: a value that does
 * not parse is a bug in this file. */
static theme_t *from_table(const char *name, const char *const *table)
{
    char *err = NULL;
    theme_t *t = theme_from_values(name, table, &err);
    if (!t) {
        fprintf(stderr, "aidesk: built-in theme %s: %s\n", name, err);
        abort();
    }
    return t;
}

theme_t *theme_builtin(void)
{
    return from_table("default", dark);
}

theme_t *theme_monochrome(void)
{
    return from_table("monochrome", mono);
}
