/* theme.h: colour themes: the style table, theme files and the built-ins.
 *
 * No curses here: a style is plain data (colours and attribute flags) that
 * the console turns into colour pairs.
 *
 * A theme file is INI (see ini.h):
 *
 *   [theme]
 *   name = mine              # letters, digits, '-' and '_'
 *   inherits = default       # optional: unset styles come from that theme
 *
 *   [styles]
 *   role.ai = 114/green default bold
 *
 * A style's value is "FG [BG] [attribute ...]":
 *   - a colour is one of the eight names (black red green yellow blue
 *     magenta cyan white), a bright one (brightred: colours 8-15), "default"
 *     (the terminal's own colour) or a number 0-255;
 *   - "VALUE/FALLBACK" gives the colour for terminals with fewer than 256
 *     colours: "208/yellow" is 208 on 256-colour terminals and yellow
 *     elsewhere. FALLBACK is a colour 0-15 (a name or a number) or
 *     "default". Without one, a colour above 15 falls back to the nearest of
 *     the sixteen;
 *   - attributes: bold dim italic underline reverse blink standout, any
 *     number of them.
 * Styles a file does not set come from the theme it inherits or, without
 * "inherits", from the built-in default. Unknown sections, keys, colours
 * and attributes, a key set twice, inheritance cycles and chains of more
 * than 8 files are errors, each reported as one line "FILE:LINE: problem"
 * (an error in an inherited file names that file). */
#ifndef AIDESK_CONFIG_THEME_H
#define AIDESK_CONFIG_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* Every style the console draws: X(ID, "key", "what it colours"). The
 * enum below is THEME_<ID>; the keys are what theme files write. */
#define THEME_STYLES(X)                                                                            \
    X(DEFAULT, "default", "ordinary text and the background of every pane")                       \
    X(BORDER, "border", "pane borders and separators")                                             \
    X(TITLE, "title", "pane titles and the header line")                                           \
    X(SIDEBAR, "sidebar", "workspace list entries")                                                \
    X(SIDEBAR_SELECTED, "sidebar.selected", "the selected workspace in the list")                  \
    X(SIDEBAR_DIM, "sidebar.dim", "ended workspaces in the list")                                  \
    X(BADGE_AI, "badge.ai", "badge of a conversation the AI is answering")                         \
    X(BADGE_SHADOW, "badge.shadow", "badge of a conversation in shadow mode (AI drafts, a human "  \
                                    "approves)")                                                   \
    X(BADGE_TAKEOVER, "badge.takeover", "badge of a conversation a human agent has taken over")    \
    X(BADGE_CHAT, "badge.chat", "badge of a plain AI chat workspace")                              \
    X(UNREAD, "unread", "unread counts and markers")                                               \
    X(DRAFTS_COUNT, "drafts.count", "the count of AI drafts waiting for approval")                 \
    X(TYPING, "typing", "the \"... is typing\" line")                                              \
    X(TYPING_INDICATOR, "typing.indicator", "the animated typing dots")                            \
    X(ROLE_CUSTOMER, "role.customer", "the customer's name and messages")                          \
    X(ROLE_AI, "role.ai", "the AI's name and messages")                                            \
    X(ROLE_HUMAN, "role.human", "a human agent's name and messages")                               \
    X(ROLE_SYSTEM, "role.system", "system notices in a conversation")                              \
    X(ROLE_YOU, "role.you", "your own name and messages")                                          \
    X(META, "meta", "times, approval marks and other small print")                                 \
    X(STATE_STREAMING, "state.streaming", "a reply that is still arriving")                        \
    X(STATE_FAILED, "state.failed", "a message that failed to send")                               \
    X(STATE_UNSENT, "state.unsent", "a message not sent yet")                                      \
    X(MD_EMPH, "md.emph", "markdown *emphasis*")                                                   \
    X(MD_STRONG, "md.strong", "markdown **strong** text")                                          \
    X(MD_CODE, "md.code", "markdown `inline code`")                                                \
    X(MD_CODEBLOCK, "md.codeblock", "markdown code blocks")                                        \
    X(MD_HEADING, "md.heading", "markdown headings")                                               \
    X(MD_QUOTE, "md.quote", "markdown > quotes")                                                   \
    X(MD_LINK, "md.link", "markdown links")                                                        \
    X(MD_LISTMARKER, "md.listmarker", "markdown list bullets and numbers")                         \
    X(PLACEHOLDER, "placeholder", "control characters from the network, shown as pictures")       \
    X(SEARCH_MATCH, "search.match", "search matches")                                              \
    X(DRAFTS, "drafts", "entries of the drafts list")                                              \
    X(DRAFTS_SELECTED, "drafts.selected", "the selected entry of the drafts list")                 \
    X(STATUS, "status", "the status line")                                                         \
    X(STATUS_OK, "status.ok", "good news on the status line (connected)")                          \
    X(STATUS_WARN, "status.warn", "warnings on the status line (reconnecting)")                    \
    X(STATUS_ERROR, "status.error", "errors on the status line (offline)")                         \
    X(FLASH_INFO, "flash.info", "short-lived information messages")                                \
    X(FLASH_ERROR, "flash.error", "short-lived error messages")                                    \
    X(INPUT, "input", "the text you type")                                                         \
    X(INPUT_PROMPT, "input.prompt", "the prompt in front of the input line")                       \
    X(HELP, "help", "the help screen")                                                             \
    X(HELP_KEY, "help.key", "key names on the help screen")                                        \
    X(NEWBELOW, "newbelow", "the \"N new below\" marker")

typedef enum theme_style_id {
#define THEME_ENUM_(id, key, help) THEME_##id,
    THEME_STYLES(THEME_ENUM_)
#undef THEME_ENUM_
    THEME_N_STYLES
} theme_style_id;

/* Attribute flags of a style. */
enum {
    THEME_ATTR_BOLD = 1u << 0,
    THEME_ATTR_DIM = 1u << 1,
    THEME_ATTR_ITALIC = 1u << 2,
    THEME_ATTR_UNDERLINE = 1u << 3,
    THEME_ATTR_REVERSE = 1u << 4,
    THEME_ATTR_BLINK = 1u << 5,
    THEME_ATTR_STANDOUT = 1u << 6,
};

/* The terminal's own colour (curses: -1 with use_default_colors). */
#define THEME_COLOUR_DEFAULT (-1)

typedef struct theme_colour {
    short value;    /* 256-colour terminals: THEME_COLOUR_DEFAULT or 0-255 */
    short fallback; /* fewer colours: THEME_COLOUR_DEFAULT or 0-15 */
} theme_colour;

typedef struct theme_style {
    theme_colour fg, bg;
    unsigned attrs; /* THEME_ATTR_* */
} theme_style;

/* A style made concrete for one terminal (see theme_resolve). */
typedef struct theme_resolved {
    short fg, bg; /* THEME_COLOUR_DEFAULT or a colour below the terminal's count */
    unsigned attrs;
} theme_resolved;

/* A theme: a name and one style per key. Opaque. */
typedef struct theme theme_t;

/* ---- the style table */
size_t theme_style_count(void);           /* THEME_N_STYLES */
const char *theme_style_name(size_t i);   /* "sidebar.selected"; NULL out of range */
const char *theme_style_help(size_t i);   /* one line; NULL out of range */
int theme_style_index(const char *name); /* -1 if unknown (or NULL) */

/* ---- themes (each returned theme is new: free with theme_free) */

/* The built-in dark default, named "default". Never fails. */
theme_t *theme_builtin(void);
/* Attributes only, every colour "default" (for NO_COLOR and terminals
 * without colour), named "monochrome". Never fails. */
theme_t *theme_monochrome(void);

/* Loads a theme file. "inherits = NAME" is looked up as NAME.theme in the
 * file's own directory ("default" and "monochrome" fall back to the
 * built-ins). Returns NULL with *err set to a new one-line message (caller
 * frees; err may be NULL). */
theme_t *theme_load_file(const char *path, char **err);
/* The same, looking up inherited themes in dirs (NULL-terminated, first
 * match wins) instead of the file's directory. */
theme_t *theme_load_file_in(const char *path, const char *const *dirs, char **err);
/* Loads <dir>/<name>.theme from the first of dirs (NULL-terminated; may be
 * NULL) that has it; inherited themes are looked up the same way. name
 * must be a simple name (letters, digits, '-', '_'). "default" and
 * "monochrome" are the built-ins when no file has them. */
theme_t *theme_load_named(const char *name, const char *const *dirs, char **err);

/* A theme from one value per style, in theme file syntax (values[i] for
 * style i; a NULL entry is plain: default colours, no attributes). The built-ins are
 * made this way. Returns NULL with *err set ("role.ai: unknown colour
 * 'x'") when a value is bad. */
theme_t *theme_from_values(const char *name, const char *const values[THEME_N_STYLES], char **err);

void theme_free(theme_t *t);

/* The theme's name ([theme] name, else the file name without ".theme"). */
const char *theme_name(const theme_t *t);
/* The file it was loaded from; NULL for a built-in. */
const char *theme_path(const theme_t *t);
/* The style for idx (a theme_style_id); out of range gives THEME_DEFAULT. */
const theme_style *theme_get(const theme_t *t, int idx);
/* Whether any style sets a colour (false for monochrome themes). */
bool theme_uses_colour(const theme_t *t);

/* ---- names and directories */

/* Whether name is a simple theme name: 1-64 letters, digits, '-', '_'. */
bool theme_name_valid(const char *name);
/* Where themes are looked for, first wins: $XDG_CONFIG_HOME/aidesk/themes,
 * $XDG_DATA_HOME/aidesk/themes (each only when a home is known), then the
 * installed ones (AIDESK_DATADIR/themes). NULL-terminated; free with
 * theme_strv_free. Never NULL. */
char **theme_search_dirs(void);
/* The names of the themes found in dirs plus the built-ins, sorted, without
 * duplicates; NULL-terminated, free with theme_strv_free. Never NULL. */
char **theme_list(const char *const *dirs);
void theme_strv_free(char **v);

/* ---- colours and values */

/* Parses one style value ("114/green default bold"). Returns 0, or -1 with
 * *err set to a new message without location ("unknown colour 'purpel'"). */
int theme_parse_style(const char *value, theme_style *out, char **err);
/* The value as a theme file writes it, canonical (fallbacks explicit for
 * colours above 15); parses back to the same style. Caller frees. */
char *theme_format_style(const theme_style *s);
bool theme_style_equal(const theme_style *a, const theme_style *b);

/* The colour to use on a terminal with ncolours colours (COLORS):
 * >= 256: the value; >= 16: the fallback; >= 8: the fallback with bright
 * colours made plain (brightred -> red); fewer: THEME_COLOUR_DEFAULT. */
short theme_colour_pick(theme_colour c, int ncolours);
/* The style for a terminal with ncolours colours: theme_colour_pick for
 * both colours, plus what keeps the style legible when colours are lost:
 * on 8 colours a brightblack (grey) foreground becomes the default colour
 * with dim, and a foreground equal to its background becomes the default
 * colour; without colours, a style that had a background gets reverse so
 * that highlighted lines stay highlighted. */
theme_resolved theme_resolve(const theme_style *s, int ncolours);

/* The text of themes/template.theme: every key with its description as a
 * comment and the built-in default's value. Caller frees. */
char *theme_template(void);

#endif
