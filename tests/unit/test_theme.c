/* Unit tests for src/config/theme: the style table, style values, theme
 * files, inheritance, name rules, the built-ins and the shipped themes
 * (found through AIDESK_SRCDIR, which make check sets). */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/ini.h"
#include "config/theme.h"
#include "slurp.h"
#include "test.h"
#include "util/buf.h"
#include "util/mem.h"

/* ---------------------------------------------------------------- helpers */

static char *tmp_root;

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/aidesk-test-theme-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    tmp_root = mkdtemp(tmpl);
    assert_non_null(tmp_root);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    (void)state;
    nftw(tmp_root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(tmp_root);
    tmp_root = NULL;
    return 0;
}

/* Writes text to <tmp_root>/<rel> and returns the path (caller frees). */
static char *put(const char *rel, const char *text)
{
    char *path = xasprintf("%s/%s", tmp_root, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static char *sub_dir(const char *rel)
{
    char *path = xasprintf("%s/%s", tmp_root, rel);
    assert_int_equal(mkdir(path, 0700), 0);
    return path;
}

static theme_style parse_ok(const char *value)
{
    theme_style s;
    char *err = NULL;
    int rc = theme_parse_style(value, &s, &err);
    if (rc != 0)
        fail_msg("'%s' did not parse: %s", value, err);
    return s;
}

/* Parses value, expecting an error that contains want. */
static void parse_fails(const char *value, const char *want)
{
    theme_style s;
    char *err = NULL;
    assert_int_equal(theme_parse_style(value, &s, &err), -1);
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("'%s': error '%s' lacks '%s'", value, err, want);
    free(err);
}

/* Loads the file text as <tmp_root>/<rel>, expecting an error containing
 * want. */
static void load_fails(const char *rel, const char *text, const char *want)
{
    char *path = put(rel, text);
    char *err = NULL;
    theme_t *t = theme_load_file(path, &err);
    assert_null(t);
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("error '%s' lacks '%s'", err, want);
    free(err);
    free(path);
}

static theme_t *load_ok(const char *path, const char *const *dirs)
{
    char *err = NULL;
    theme_t *t = dirs ? theme_load_file_in(path, dirs, &err) : theme_load_file(path, &err);
    if (!t)
        fail_msg("%s did not load: %s", path, err);
    return t;
}

static void assert_same_styles(const theme_t *a, const theme_t *b)
{
    for (size_t i = 0; i < theme_style_count(); i++) {
        if (!theme_style_equal(theme_get(a, (int)i), theme_get(b, (int)i))) {
            char *x = theme_format_style(theme_get(a, (int)i));
            char *y = theme_format_style(theme_get(b, (int)i));
            fail_msg("%s: '%s' in %s but '%s' in %s", theme_style_name(i), x, theme_name(a), y,
                     theme_name(b));
        }
    }
}

static char *srcdir_path(const char *rel)
{
    const char *src = getenv("AIDESK_SRCDIR");
    if (!src || !*src)
        fail_msg("AIDESK_SRCDIR is not set (make check sets it)");
    return xasprintf("%s/%s", src, rel);
}

static char *read_text(const char *path)
{
    char *s = slurp(path);
    if (!s)
        fail_msg("cannot open %s", path);
    return s;
}

/* -------------------------------------------------------------- the table */

static void test_the_table_has_every_key_once_with_a_description(void **state)
{
    (void)state;
    static const char *const want[] = {
        "default", "border", "title", "sidebar", "sidebar.selected", "sidebar.dim", "badge.ai",
        "badge.shadow", "badge.takeover", "badge.chat", "unread", "drafts.count", "typing",
        "typing.indicator", "role.customer", "role.ai", "role.human", "role.system", "role.you",
        "meta", "state.streaming", "state.failed", "state.unsent", "md.emph", "md.strong",
        "md.code", "md.codeblock", "md.heading", "md.quote", "md.link", "md.listmarker",
        "placeholder", "search.match", "drafts", "drafts.selected", "status", "status.ok",
        "status.warn", "status.error", "flash.info", "flash.error", "input", "input.prompt",
        "help", "help.key", "newbelow",
    };
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(theme_style_count(), n);
    assert_int_equal(THEME_N_STYLES, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(theme_style_name(i), want[i]);
        assert_int_equal(theme_style_index(want[i]), (int)i);
        const char *help = theme_style_help(i);
        assert_non_null(help);
        assert_true(strlen(help) > 5);
        assert_null(strchr(help, '\n'));
    }
    assert_null(theme_style_name(n));
    assert_null(theme_style_help(n));
}

static void test_the_enum_spells_keys_in_upper_case_with_underscores(void **state)
{
    (void)state;
    assert_int_equal(theme_style_index("default"), THEME_DEFAULT);
    assert_int_equal(theme_style_index("sidebar.selected"), THEME_SIDEBAR_SELECTED);
    assert_int_equal(theme_style_index("typing.indicator"), THEME_TYPING_INDICATOR);
    assert_int_equal(theme_style_index("md.listmarker"), THEME_MD_LISTMARKER);
    assert_int_equal(theme_style_index("newbelow"), THEME_NEWBELOW);
    /* Every one: the enum's spelling, lower-cased with dots, is the key. */
    static const struct {
        int id;
        const char *spelled;
    } ids[] = {
#define ID_(id, key, help) {THEME_##id, #id},
        THEME_STYLES(ID_)
#undef ID_
    };
    assert_int_equal(sizeof ids / sizeof ids[0], theme_style_count());
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char *key = xstrdup(ids[i].spelled);
        for (char *p = key; *p; p++)
            *p = *p == '_' ? '.' : (char)(*p - 'A' + 'a');
        assert_int_equal(ids[i].id, (int)i);
        assert_string_equal(theme_style_name(i), key);
        free(key);
    }
}

static void test_unknown_style_names_have_no_index(void **state)
{
    (void)state;
    assert_int_equal(theme_style_index("purple"), -1);
    assert_int_equal(theme_style_index("role"), -1);
    assert_int_equal(theme_style_index("Role.AI"), -1);
    assert_int_equal(theme_style_index(""), -1);
    assert_int_equal(theme_style_index(NULL), -1);
}

/* ---------------------------------------------------------------- colours */

static void test_the_eight_colour_names_are_colours_0_to_7(void **state)
{
    (void)state;
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    for (int i = 0; i < 8; i++) {
        char *v = xasprintf("%s default", names[i]);
        theme_style s = parse_ok(v);
        assert_int_equal(s.fg.value, i);
        assert_int_equal(s.fg.fallback, i);
        assert_int_equal(s.bg.value, THEME_COLOUR_DEFAULT);
        assert_int_equal(s.attrs, 0);
        free(v);
    }
}

static void test_bright_names_are_colours_8_to_15(void **state)
{
    (void)state;
    theme_style s = parse_ok("brightblack brightwhite");
    assert_int_equal(s.fg.value, 8);
    assert_int_equal(s.fg.fallback, 8);
    assert_int_equal(s.bg.value, 15);
    s = parse_ok("brightred brightcyan");
    assert_int_equal(s.fg.value, 9);
    assert_int_equal(s.bg.value, 14);
}

static void test_default_is_the_terminals_own_colour(void **state)
{
    (void)state;
    theme_style s = parse_ok("default default");
    assert_int_equal(s.fg.value, THEME_COLOUR_DEFAULT);
    assert_int_equal(s.fg.fallback, THEME_COLOUR_DEFAULT);
    assert_int_equal(s.bg.value, THEME_COLOUR_DEFAULT);
    assert_int_equal(s.bg.fallback, THEME_COLOUR_DEFAULT);
}

static void test_numbers_0_to_255_are_colours(void **state)
{
    (void)state;
    theme_style s = parse_ok("0 255");
    assert_int_equal(s.fg.value, 0);
    assert_int_equal(s.bg.value, 255);
    s = parse_ok("12 16");
    assert_int_equal(s.fg.value, 12);
    assert_int_equal(s.fg.fallback, 12);
    assert_int_equal(s.bg.value, 16);
}

static void test_colour_names_ignore_case(void **state)
{
    (void)state;
    theme_style s = parse_ok("Red BrightBlue BOLD");
    assert_int_equal(s.fg.value, 1);
    assert_int_equal(s.bg.value, 12);
    assert_int_equal(s.attrs, THEME_ATTR_BOLD);
}

static void test_a_fallback_follows_a_slash(void **state)
{
    (void)state;
    theme_style s = parse_ok("208/yellow 24/brightblue");
    assert_int_equal(s.fg.value, 208);
    assert_int_equal(s.fg.fallback, 3);
    assert_int_equal(s.bg.value, 24);
    assert_int_equal(s.bg.fallback, 12);
    s = parse_ok("236/default 208/11");
    assert_int_equal(s.fg.value, 236);
    assert_int_equal(s.fg.fallback, THEME_COLOUR_DEFAULT);
    assert_int_equal(s.bg.fallback, 11);
    s = parse_ok("brightred/red");
    assert_int_equal(s.fg.value, 9);
    assert_int_equal(s.fg.fallback, 1);
}

static void test_without_a_fallback_a_256_colour_falls_back_to_the_nearest_of_16(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("208").fg.fallback, 3);  /* orange: yellow */
    assert_int_equal(parse_ok("196").fg.fallback, 9);  /* pure red: bright red */
    assert_int_equal(parse_ok("232").fg.fallback, 0);  /* near black */
    assert_int_equal(parse_ok("244").fg.fallback, 8);  /* mid grey */
    assert_int_equal(parse_ok("231").fg.fallback, 15); /* white of the cube */
    assert_int_equal(parse_ok("21").fg.fallback, 4);   /* pure blue */
}

static void test_bad_colours_are_refused_with_the_reason(void **state)
{
    (void)state;
    parse_fails("purpel", "unknown colour 'purpel'");
    parse_fails("256", "colour 256 is out of range (0-255)");
    parse_fails("99999999999999999999", "out of range");
    parse_fails("brightpurple", "unknown colour 'brightpurple'");
    parse_fails("-1", "unknown colour '-1'");
    parse_fails("12x", "unknown colour '12x'");
    parse_fails("208/200", "a fallback is 0-15");
    parse_fails("208/purpel", "unknown colour 'purpel'");
    parse_fails("default/red", "'default' needs no fallback");
    parse_fails("1/2/3", "one fallback at most");
    parse_fails("208/", "write VALUE/FALLBACK");
    parse_fails("/red", "write VALUE/FALLBACK");
    parse_fails("red purpel", "unknown colour or attribute 'purpel'");
    parse_fails("red 300", "colour 300 is out of range");
}

/* ------------------------------------------------------------- attributes */

static void test_each_attribute_is_known(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        unsigned flag;
    } attrs[] = {
        {"bold", THEME_ATTR_BOLD},         {"dim", THEME_ATTR_DIM},
        {"italic", THEME_ATTR_ITALIC},     {"underline", THEME_ATTR_UNDERLINE},
        {"reverse", THEME_ATTR_REVERSE},   {"blink", THEME_ATTR_BLINK},
        {"standout", THEME_ATTR_STANDOUT},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        char *v = xasprintf("default default %s", attrs[i].name);
        assert_int_equal(parse_ok(v).attrs, attrs[i].flag);
        free(v);
    }
}

static void test_attributes_combine(void **state)
{
    (void)state;
    theme_style s = parse_ok("default default bold underline");
    assert_int_equal(s.attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
    s = parse_ok("  114/green\tdefault   bold  italic reverse bold ");
    assert_int_equal(s.fg.value, 114);
    assert_int_equal(s.attrs, THEME_ATTR_BOLD | THEME_ATTR_ITALIC | THEME_ATTR_REVERSE);
}

static void test_the_background_may_be_left_out_before_attributes(void **state)
{
    (void)state;
    theme_style s = parse_ok("red bold");
    assert_int_equal(s.fg.value, 1);
    assert_int_equal(s.bg.value, THEME_COLOUR_DEFAULT);
    assert_int_equal(s.attrs, THEME_ATTR_BOLD);
    s = parse_ok("black cyan");
    assert_int_equal(s.fg.value, 0);
    assert_int_equal(s.bg.value, 6);
    assert_int_equal(s.attrs, 0);
}

static void test_malformed_styles_are_refused_with_the_reason(void **state)
{
    (void)state;
    parse_fails("", "empty style");
    parse_fails("   ", "empty style");
    parse_fails("bold", "a style starts with its colour, not 'bold'");
    parse_fails("red blue bolt", "unknown attribute 'bolt'");
    parse_fails("red blue green", "a third colour 'green'");
    parse_fails("red bold blue", "colour 'blue' after an attribute");
}

static void test_formatting_a_style_parses_back_to_the_same_style(void **state)
{
    (void)state;
    static const char *const values[] = {
        "default default", "208/yellow 24/brightblue bold", "red bold",
        "236/default 16 dim italic underline reverse blink standout",
        "brightred/red cyan", "208 232",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        theme_style s = parse_ok(values[i]);
        char *text = theme_format_style(&s);
        theme_style back = parse_ok(text);
        assert_true(theme_style_equal(&s, &back));
        free(text);
    }
    theme_style s = parse_ok("114/green default bold");
    char *text = theme_format_style(&s);
    assert_string_equal(text, "114/green default bold");
    free(text);
}

/* -------------------------------------------------------------- terminals */

static void test_picking_a_colour_follows_the_terminals_colour_count(void **state)
{
    (void)state;
    theme_colour c = {208, 11};
    assert_int_equal(theme_colour_pick(c, 256), 208);
    assert_int_equal(theme_colour_pick(c, 16777216), 208);
    assert_int_equal(theme_colour_pick(c, 16), 11);
    assert_int_equal(theme_colour_pick(c, 88), 11);
    assert_int_equal(theme_colour_pick(c, 8), 3);
    assert_int_equal(theme_colour_pick(c, 0), THEME_COLOUR_DEFAULT);
    theme_colour d = {THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT};
    assert_int_equal(theme_colour_pick(d, 256), THEME_COLOUR_DEFAULT);
    assert_int_equal(theme_colour_pick(d, 8), THEME_COLOUR_DEFAULT);
}

static void test_resolving_for_8_colours_keeps_grey_text_legible(void **state)
{
    (void)state;
    theme_style s = parse_ok("243/brightblack default");
    theme_resolved r = theme_resolve(&s, 8);
    assert_int_equal(r.fg, THEME_COLOUR_DEFAULT);
    assert_int_equal(r.attrs, THEME_ATTR_DIM);
    r = theme_resolve(&s, 16);
    assert_int_equal(r.fg, 8);
    assert_int_equal(r.attrs, 0);
    r = theme_resolve(&s, 256);
    assert_int_equal(r.fg, 243);
}

static void test_resolving_never_gives_text_the_colour_of_its_background(void **state)
{
    (void)state;
    theme_style s = parse_ok("brightblue/brightblue 24/blue");
    theme_resolved r = theme_resolve(&s, 8);
    assert_int_equal(r.fg, THEME_COLOUR_DEFAULT);
    assert_int_equal(r.bg, 4);
    r = theme_resolve(&s, 16);
    assert_int_equal(r.fg, 12);
    assert_int_equal(r.bg, 4);
}

static void test_resolving_without_colours_turns_backgrounds_into_reverse(void **state)
{
    (void)state;
    theme_style s = parse_ok("black cyan bold");
    theme_resolved r = theme_resolve(&s, 0);
    assert_int_equal(r.fg, THEME_COLOUR_DEFAULT);
    assert_int_equal(r.bg, THEME_COLOUR_DEFAULT);
    assert_int_equal(r.attrs, THEME_ATTR_BOLD | THEME_ATTR_REVERSE);
    s = parse_ok("red default italic");
    r = theme_resolve(&s, 2);
    assert_int_equal(r.attrs, THEME_ATTR_ITALIC);
}

/* --------------------------------------------------------------- built-ins */

static void test_the_builtin_default_sets_every_style_and_uses_colour(void **state)
{
    (void)state;
    theme_t *t = theme_builtin();
    assert_string_equal(theme_name(t), "default");
    assert_null(theme_path(t));
    assert_true(theme_uses_colour(t));
    assert_int_equal(theme_get(t, THEME_ROLE_AI)->fg.value, 114);
    assert_int_equal(theme_get(t, THEME_ROLE_AI)->fg.fallback, 2);
    assert_int_equal(theme_get(t, THEME_BADGE_SHADOW)->fg.fallback, 3);    /* amber */
    assert_int_equal(theme_get(t, THEME_BADGE_TAKEOVER)->fg.fallback, 9); /* red */
    assert_int_equal(theme_get(t, THEME_BADGE_AI)->fg.fallback, 2);       /* green */
    theme_free(t);
}

static void test_monochrome_has_no_colours_only_attributes(void **state)
{
    (void)state;
    theme_t *t = theme_monochrome();
    assert_string_equal(theme_name(t), "monochrome");
    assert_false(theme_uses_colour(t));
    for (size_t i = 0; i < theme_style_count(); i++) {
        const theme_style *s = theme_get(t, (int)i);
        assert_int_equal(s->fg.value, THEME_COLOUR_DEFAULT);
        assert_int_equal(s->bg.value, THEME_COLOUR_DEFAULT);
    }
    assert_true(theme_get(t, THEME_SIDEBAR_SELECTED)->attrs & THEME_ATTR_REVERSE);
    assert_true(theme_get(t, THEME_STATUS)->attrs & THEME_ATTR_REVERSE);
    theme_free(t);
}

static void test_getting_a_style_out_of_range_gives_the_default_style(void **state)
{
    (void)state;
    theme_t *t = theme_builtin();
    assert_ptr_equal(theme_get(t, -1), theme_get(t, THEME_DEFAULT));
    assert_ptr_equal(theme_get(t, THEME_N_STYLES), theme_get(t, THEME_DEFAULT));
    theme_free(t);
}

static void test_from_values_names_the_style_with_a_bad_value(void **state)
{
    (void)state;
    const char *values[THEME_N_STYLES] = {NULL};
    values[THEME_ROLE_AI] = "purpel";
    char *err = NULL;
    assert_null(theme_from_values("x", values, &err));
    assert_string_equal(err, "role.ai: unknown colour 'purpel'");
    free(err);
    values[THEME_ROLE_AI] = "red";
    theme_t *t = theme_from_values("x", values, NULL);
    assert_non_null(t);
    assert_int_equal(theme_get(t, THEME_ROLE_AI)->fg.value, 1);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, THEME_COLOUR_DEFAULT);
    assert_int_equal(theme_get(t, THEME_TITLE)->attrs, 0);
    theme_free(t);
}

/* ------------------------------------------------------------------ files */

static void test_a_file_sets_styles_and_the_rest_are_the_builtin_defaults(void **state)
{
    (void)state;
    char *path = put("mine.theme", "# mine\n[theme]\nname = mine\n\n[styles]\n"
                                   "role.ai = 208/yellow default bold\n"
                                   "sidebar.selected = black cyan\n");
    theme_t *t = load_ok(path, NULL);
    theme_t *b = theme_builtin();
    assert_string_equal(theme_name(t), "mine");
    assert_string_equal(theme_path(t), path);
    assert_int_equal(theme_get(t, THEME_ROLE_AI)->fg.value, 208);
    assert_int_equal(theme_get(t, THEME_SIDEBAR_SELECTED)->bg.value, 6);
    assert_true(theme_style_equal(theme_get(t, THEME_TITLE), theme_get(b, THEME_TITLE)));
    assert_true(theme_style_equal(theme_get(t, THEME_META), theme_get(b, THEME_META)));
    theme_free(b);
    theme_free(t);
    free(path);
}

static void test_a_file_without_a_name_is_named_after_the_file(void **state)
{
    (void)state;
    char *path = put("dusk.theme", "[styles]\nmeta = 244\n");
    theme_t *t = load_ok(path, NULL);
    assert_string_equal(theme_name(t), "dusk");
    theme_free(t);
    free(path);
}

static void test_missing_keys_take_the_inherited_themes_values(void **state)
{
    (void)state;
    char *base = put("base.theme", "[theme]\nname = base\n[styles]\n"
                                   "title = red\nmeta = green\n");
    char *kid = put("kid.theme", "[theme]\nname = kid\ninherits = base\n[styles]\nmeta = blue\n");
    theme_t *t = load_ok(kid, NULL);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, 1); /* from base */
    assert_int_equal(theme_get(t, THEME_META)->fg.value, 4);  /* its own */
    theme_t *b = theme_builtin();
    assert_true(theme_style_equal(theme_get(t, THEME_ROLE_AI), theme_get(b, THEME_ROLE_AI)));
    theme_free(b);
    theme_free(t);
    free(base);
    free(kid);
}

static void test_inherits_may_come_after_the_styles(void **state)
{
    (void)state;
    char *path = put("late.theme", "[styles]\nmeta = blue\n[theme]\ninherits = monochrome\n");
    theme_t *t = load_ok(path, NULL);
    assert_int_equal(theme_get(t, THEME_META)->fg.value, 4);
    assert_int_equal(theme_get(t, THEME_ROLE_AI)->fg.value, THEME_COLOUR_DEFAULT);
    theme_free(t);
    free(path);
}

static void test_inheriting_default_or_monochrome_needs_no_file(void **state)
{
    (void)state;
    char *path = put("m.theme", "[theme]\ninherits = monochrome\n[styles]\ntitle = red\n");
    theme_t *t = load_ok(path, NULL);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, 1);
    assert_true(theme_get(t, THEME_SIDEBAR_SELECTED)->attrs & THEME_ATTR_REVERSE);
    assert_int_equal(theme_get(t, THEME_SIDEBAR_SELECTED)->bg.value, THEME_COLOUR_DEFAULT);
    theme_free(t);
    free(path);
    path = put("d.theme", "[theme]\ninherits = default\n");
    t = load_ok(path, NULL);
    theme_t *b = theme_builtin();
    assert_same_styles(t, b);
    theme_free(b);
    theme_free(t);
    free(path);
}

static void test_inheritance_looks_in_the_given_directories(void **state)
{
    (void)state;
    char *sys = sub_dir("sys");
    char *base = put("sys/warm.theme", "[styles]\ntitle = 208/yellow\n");
    char *kid = put("kid.theme", "[theme]\ninherits = warm\n");
    const char *const dirs[] = {sys, NULL};
    theme_t *t = load_ok(kid, dirs);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, 208);
    theme_free(t);
    /* Not in the file's own directory. */
    char *err = NULL;
    assert_null(theme_load_file(kid, &err));
    assert_non_null(strstr(err, "kid.theme:2: inherits unknown theme 'warm'"));
    free(err);
    free(sys);
    free(base);
    free(kid);
}

static void test_an_inheritance_cycle_is_refused(void **state)
{
    (void)state;
    char *a = put("a.theme", "[theme]\nname = a\ninherits = b\n");
    char *b = put("b.theme", "[theme]\n\nname = b\ninherits = a\n");
    char *err = NULL;
    assert_null(theme_load_file(a, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "b.theme:4: inheritance cycle: a.theme -> b.theme -> a.theme"));
    free(err);
    free(a);
    free(b);
}

static void test_a_theme_inheriting_itself_is_a_cycle(void **state)
{
    (void)state;
    char *path = put("default.theme", "[theme]\ninherits = default\n");
    char *err = NULL;
    assert_null(theme_load_file(path, &err));
    assert_non_null(strstr(err, "default.theme:2: inheritance cycle: default.theme -> "
                                "default.theme"));
    free(err);
    free(path);
}

static void test_inheritance_depth_is_limited(void **state)
{
    (void)state;
    for (int i = 0; i < 12; i++) {
        char *rel = xasprintf("t%d.theme", i);
        char *text = xasprintf("[theme]\ninherits = t%d\n", i + 1);
        free(put(rel, text));
        free(rel);
        free(text);
    }
    free(put("t12.theme", "[styles]\n"));
    char *path = xasprintf("%s/t0.theme", tmp_root);
    char *err = NULL;
    assert_null(theme_load_file(path, &err));
    assert_non_null(strstr(err, "inherits through more than 8 themes"));
    free(err);
    free(path);
    /* Five files are fine. */
    path = xasprintf("%s/t8.theme", tmp_root);
    theme_t *t = load_ok(path, NULL);
    theme_free(t);
    free(path);
}

static void test_an_error_in_an_inherited_theme_names_that_file(void **state)
{
    (void)state;
    free(put("bad.theme", "[styles]\n\nmeta = purpel\n"));
    char *path = put("ok.theme", "[theme]\ninherits = bad\n");
    char *err = NULL;
    assert_null(theme_load_file(path, &err));
    assert_non_null(strstr(err, "bad.theme:3: unknown colour 'purpel'"));
    free(err);
    free(path);
}

static void test_errors_name_the_file_and_line(void **state)
{
    (void)state;
    load_fails("light.theme",
               "[theme]\nname = light\n\n[styles]\n# comment\n\n\n\n\n\n\nrole.ai = purpel\n",
               "light.theme:12: unknown colour 'purpel'");
    load_fails("k.theme", "[styles]\nrole.robot = red\n", "k.theme:2: unknown style 'role.robot'");
    load_fails("s.theme", "[colours]\n", "s.theme:1: unknown section [colours]");
    load_fails("t.theme", "[theme]\nauthor = me\n", "t.theme:2: unknown key 'author' in [theme]");
    load_fails("d.theme", "[styles]\nmeta = red\nmeta = blue\n",
               "d.theme:3: 'meta' is set twice (first on line 2)");
    load_fails("n.theme", "[theme]\nname = my theme\n", "n.theme:2: bad theme name 'my theme'");
    load_fails("i.theme", "[theme]\ninherits = ../etc/x\n",
               "i.theme:2: bad theme name to inherit '../etc/x'");
    load_fails("u.theme", "[theme]\ninherits = nosuch\n", "u.theme:2: inherits unknown theme "
                                                          "'nosuch'");
    load_fails("a.theme", "[styles]\nmeta = red blue bolt\n",
               "a.theme:2: unknown attribute 'bolt'");
    load_fails("e.theme", "[styles]\nmeta =\n", "e.theme:2: empty style");
    load_fails("b.theme", "meta = red\n", "b.theme:1: key 'meta' comes before any [section]");
}

static void test_a_missing_file_or_a_directory_is_an_error(void **state)
{
    (void)state;
    char *err = NULL;
    char *path = xasprintf("%s/none.theme", tmp_root);
    assert_null(theme_load_file(path, &err));
    assert_non_null(strstr(err, "cannot open"));
    assert_non_null(strstr(err, "none.theme"));
    free(err);
    free(path);
    err = NULL;
    assert_null(theme_load_file(tmp_root, &err));
    assert_non_null(strstr(err, "is not a regular file"));
    free(err);
    assert_null(theme_load_file("", NULL));
}

/* ------------------------------------------------------------------ names */

static void test_theme_names_are_simple_names(void **state)
{
    (void)state;
    assert_true(theme_name_valid("default"));
    assert_true(theme_name_valid("high-contrast"));
    assert_true(theme_name_valid("My_Theme2"));
    assert_false(theme_name_valid(NULL));
    assert_false(theme_name_valid(""));
    assert_false(theme_name_valid(".."));
    assert_false(theme_name_valid("../etc/passwd"));
    assert_false(theme_name_valid("a/b"));
    assert_false(theme_name_valid(".hidden"));
    assert_false(theme_name_valid("light.theme"));
    assert_false(theme_name_valid("sp ace"));
    assert_false(theme_name_valid("caf\xc3\xa9"));
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    assert_false(theme_name_valid(long_name));
    long_name[64] = '\0';
    assert_true(theme_name_valid(long_name));
}

static void test_loading_by_name_refuses_paths(void **state)
{
    (void)state;
    char *secret = put("secret.theme", "[styles]\n");
    char *dir = sub_dir("themes");
    const char *const dirs[] = {dir, NULL};
    static const char *const bad[] = {"../secret", "..", "/etc/passwd", "a/b", "", "x.theme",
                                      "\x1b[31m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        assert_null(theme_load_named(bad[i], dirs, &err));
        assert_non_null(strstr(err, "bad theme name"));
        assert_null(strchr(err, '\x1b'));
        free(err);
    }
    assert_null(theme_load_named(NULL, dirs, NULL));
    free(dir);
    free(secret);
}

static void test_loading_by_name_takes_the_first_directory_that_has_it(void **state)
{
    (void)state;
    char *user = sub_dir("user");
    char *sys = sub_dir("sys");
    free(put("user/dusk.theme", "[styles]\ntitle = red\n"));
    free(put("sys/dusk.theme", "[styles]\ntitle = blue\n"));
    free(put("sys/dawn.theme", "[theme]\ninherits = dusk\n"));
    const char *const dirs[] = {user, "", sys, NULL};
    theme_t *t = theme_load_named("dusk", dirs, NULL);
    assert_non_null(t);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, 1);
    theme_free(t);
    /* Inherited themes are looked up the same way: the user's dusk. */
    t = theme_load_named("dawn", dirs, NULL);
    assert_non_null(t);
    assert_int_equal(theme_get(t, THEME_TITLE)->fg.value, 1);
    theme_free(t);
    free(user);
    free(sys);
}

static void test_default_and_monochrome_are_builtin_when_no_file_has_them(void **state)
{
    (void)state;
    theme_t *t = theme_load_named("default", NULL, NULL);
    theme_t *b = theme_builtin();
    assert_non_null(t);
    assert_same_styles(t, b);
    assert_null(theme_path(t));
    theme_free(t);
    theme_free(b);
    char *dir = sub_dir("empty");
    const char *const dirs[] = {dir, NULL};
    t = theme_load_named("monochrome", dirs, NULL);
    assert_non_null(t);
    assert_false(theme_uses_colour(t));
    theme_free(t);
    free(dir);
}

static void test_an_unknown_name_is_refused_listing_those_available(void **state)
{
    (void)state;
    char *dir = sub_dir("themes");
    free(put("themes/dusk.theme", "[styles]\n"));
    free(put("themes/not a name.theme", "[styles]\n"));
    free(put("themes/README", "x\n"));
    const char *const dirs[] = {dir, NULL};
    char *err = NULL;
    assert_null(theme_load_named("dawn", dirs, &err));
    assert_string_equal(err, "no theme named 'dawn' (available: default, dusk, monochrome)");
    free(err);
    free(dir);
}

static void test_listing_themes_merges_directories_and_builtins(void **state)
{
    (void)state;
    char *a = sub_dir("a");
    char *b = sub_dir("b");
    free(put("a/zed.theme", "[styles]\n"));
    free(put("a/default.theme", "[styles]\n"));
    free(put("b/zed.theme", "[styles]\n"));
    free(put("b/alpha.theme", "[styles]\n"));
    free(put("b/.theme", "[styles]\n"));
    const char *const dirs[] = {a, b, "/nonexistent/aidesk", NULL};
    char **v = theme_list(dirs);
    static const char *const want[] = {"alpha", "default", "monochrome", "zed"};
    for (size_t i = 0; i < 4; i++) {
        assert_non_null(v[i]);
        assert_string_equal(v[i], want[i]);
    }
    assert_null(v[4]);
    theme_strv_free(v);
    v = theme_list(NULL);
    assert_string_equal(v[0], "default");
    assert_string_equal(v[1], "monochrome");
    assert_null(v[2]);
    theme_strv_free(v);
    free(a);
    free(b);
}

static void test_search_dirs_follow_xdg_and_end_with_the_installed_themes(void **state)
{
    (void)state;
    setenv("XDG_CONFIG_HOME", "/x/config", 1);
    setenv("XDG_DATA_HOME", "/x/data", 1);
    char **v = theme_search_dirs();
    assert_string_equal(v[0], "/x/config/aidesk/themes");
    assert_string_equal(v[1], "/x/data/aidesk/themes");
    assert_non_null(v[2]);
    assert_non_null(strstr(v[2], "/themes"));
    assert_null(v[3]);
    theme_strv_free(v);
}

/* ---------------------------------------------------------- shipped themes */

static void test_every_shipped_theme_loads(void **state)
{
    (void)state;
    char *dir = srcdir_path("themes");
    const char *const dirs[] = {dir, NULL};
    char **names = theme_list(dirs);
    static const char *const want[] = {"default", "high-contrast", "light", "monochrome",
                                       "template"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_non_null(names[i]);
        assert_string_equal(names[i], want[i]);
        char *err = NULL;
        theme_t *t = theme_load_named(want[i], dirs, &err);
        if (!t)
            fail_msg("themes/%s.theme: %s", want[i], err);
        assert_string_equal(theme_name(t), want[i]);
        assert_non_null(theme_path(t));
        theme_free(t);
    }
    assert_null(names[sizeof want / sizeof want[0]]);
    theme_strv_free(names);
    free(dir);
}

/* Whether the file sets every key itself (no inheritance needed). */
static void assert_sets_every_key(const char *rel)
{
    char *path = srcdir_path(rel);
    char *text = read_text(path);
    for (size_t i = 0; i < theme_style_count(); i++) {
        char *needle = xasprintf("\n%s ", theme_style_name(i));
        if (!strstr(text, needle))
            fail_msg("%s does not set %s", rel, theme_style_name(i));
        free(needle);
    }
    free(text);
    free(path);
}

static void test_default_theme_file_is_the_builtin_default(void **state)
{
    (void)state;
    char *path = srcdir_path("themes/default.theme");
    theme_t *t = load_ok(path, NULL);
    theme_t *b = theme_builtin();
    assert_same_styles(t, b);
    assert_sets_every_key("themes/default.theme");
    theme_free(b);
    theme_free(t);
    free(path);
}

static void test_monochrome_theme_file_is_the_builtin_monochrome(void **state)
{
    (void)state;
    char *path = srcdir_path("themes/monochrome.theme");
    theme_t *t = load_ok(path, NULL);
    theme_t *m = theme_monochrome();
    assert_false(theme_uses_colour(t));
    assert_same_styles(t, m);
    assert_sets_every_key("themes/monochrome.theme");
    theme_free(m);
    theme_free(t);
    free(path);
}

static void test_high_contrast_is_bright_and_never_dim(void **state)
{
    (void)state;
    char *path = srcdir_path("themes/high-contrast.theme");
    theme_t *t = load_ok(path, NULL);
    for (size_t i = 0; i < theme_style_count(); i++) {
        const theme_style *s = theme_get(t, (int)i);
        if (s->attrs & THEME_ATTR_DIM)
            fail_msg("high-contrast: %s is dim", theme_style_name(i));
        /* No greys: brightblack and the grey ramp are low contrast. */
        assert_int_not_equal(s->fg.fallback, 8);
        assert_true(s->fg.value < 232);
    }
    assert_true(theme_get(t, THEME_ROLE_AI)->attrs & THEME_ATTR_BOLD);
    assert_sets_every_key("themes/high-contrast.theme");
    theme_free(t);
    free(path);
}

static void test_light_follows_the_terminals_background(void **state)
{
    (void)state;
    char *path = srcdir_path("themes/light.theme");
    theme_t *t = load_ok(path, NULL);
    static const int plain[] = {THEME_DEFAULT,     THEME_SIDEBAR,       THEME_INPUT, THEME_HELP,
                                THEME_ROLE_AI,     THEME_ROLE_CUSTOMER, THEME_META,  THEME_DRAFTS,
                                THEME_ROLE_HUMAN,  THEME_ROLE_YOU};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        assert_int_equal(theme_get(t, plain[i])->bg.value, THEME_COLOUR_DEFAULT);
    /* No yellow or cyan text on the terminal's (light) background. */
    for (size_t i = 0; i < theme_style_count(); i++) {
        const theme_style *s = theme_get(t, (int)i);
        if (s->bg.value != THEME_COLOUR_DEFAULT)
            continue;
        short fb = s->fg.fallback;
        if (fb == 3 || fb == 6 || fb == 11 || fb == 14 || fb == 7 || fb == 15)
            fail_msg("light: %s is hard to read on white in 16 colours", theme_style_name(i));
    }
    assert_sets_every_key("themes/light.theme");
    theme_free(t);
    free(path);
}

static void test_the_template_lists_every_key_with_its_description(void **state)
{
    (void)state;
    char *path = srcdir_path("themes/template.theme");
    char *text = read_text(path);
    char *want = theme_template();
    if (strcmp(text, want) != 0) {
        FILE *f = fopen("template.theme.new", "w");
        if (f) {
            fputs(want, f);
            fclose(f);
        }
        fail_msg("themes/template.theme disagrees with the style table; the expected text is in "
                 "template.theme.new in the build directory: copy it over %s",
                 path);
    }
    /* Whatever generated it: each key is set, with its description on the
     * line above. */
    for (size_t i = 0; i < theme_style_count(); i++) {
        char *needle = xasprintf("\n# %s\n%s = ", theme_style_help(i), theme_style_name(i));
        if (!strstr(text, needle))
            fail_msg("template.theme lacks '%s' with its description", theme_style_name(i));
        free(needle);
    }
    /* And it loads to the built-in default. */
    theme_t *t = load_ok(path, NULL);
    theme_t *b = theme_builtin();
    assert_same_styles(t, b);
    theme_free(b);
    theme_free(t);
    free(want);
    free(text);
    free(path);
}

TEST_MAIN(cmocka_unit_test(test_the_table_has_every_key_once_with_a_description),
          cmocka_unit_test(test_the_enum_spells_keys_in_upper_case_with_underscores),
          cmocka_unit_test(test_unknown_style_names_have_no_index),
          cmocka_unit_test(test_the_eight_colour_names_are_colours_0_to_7),
          cmocka_unit_test(test_bright_names_are_colours_8_to_15),
          cmocka_unit_test(test_default_is_the_terminals_own_colour),
          cmocka_unit_test(test_numbers_0_to_255_are_colours),
          cmocka_unit_test(test_colour_names_ignore_case),
          cmocka_unit_test(test_a_fallback_follows_a_slash),
          cmocka_unit_test(test_without_a_fallback_a_256_colour_falls_back_to_the_nearest_of_16),
          cmocka_unit_test(test_bad_colours_are_refused_with_the_reason),
          cmocka_unit_test(test_each_attribute_is_known),
          cmocka_unit_test(test_attributes_combine),
          cmocka_unit_test(test_the_background_may_be_left_out_before_attributes),
          cmocka_unit_test(test_malformed_styles_are_refused_with_the_reason),
          cmocka_unit_test(test_formatting_a_style_parses_back_to_the_same_style),
          cmocka_unit_test(test_picking_a_colour_follows_the_terminals_colour_count),
          cmocka_unit_test(test_resolving_for_8_colours_keeps_grey_text_legible),
          cmocka_unit_test(test_resolving_never_gives_text_the_colour_of_its_background),
          cmocka_unit_test(test_resolving_without_colours_turns_backgrounds_into_reverse),
          cmocka_unit_test(test_the_builtin_default_sets_every_style_and_uses_colour),
          cmocka_unit_test(test_monochrome_has_no_colours_only_attributes),
          cmocka_unit_test(test_getting_a_style_out_of_range_gives_the_default_style),
          cmocka_unit_test(test_from_values_names_the_style_with_a_bad_value),
          cmocka_unit_test_setup_teardown(
              test_a_file_sets_styles_and_the_rest_are_the_builtin_defaults, setup, teardown),
          cmocka_unit_test_setup_teardown(test_a_file_without_a_name_is_named_after_the_file,
                                          setup, teardown),
          cmocka_unit_test_setup_teardown(test_missing_keys_take_the_inherited_themes_values,
                                          setup, teardown),
          cmocka_unit_test_setup_teardown(test_inherits_may_come_after_the_styles, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(test_inheriting_default_or_monochrome_needs_no_file,
                                          setup, teardown),
          cmocka_unit_test_setup_teardown(test_inheritance_looks_in_the_given_directories, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(test_an_inheritance_cycle_is_refused, setup, teardown),
          cmocka_unit_test_setup_teardown(test_a_theme_inheriting_itself_is_a_cycle, setup,
                                          teardown),
          cmocka_unit_test_setup_teardown(test_inheritance_depth_is_limited, setup, teardown),
          cmocka_unit_test_setup_teardown(test_an_error_in_an_inherited_theme_names_that_file,
                                          setup, teardown),
          cmocka_unit_test_setup_teardown(test_errors_name_the_file_and_line, setup, teardown),
          cmocka_unit_test_setup_teardown(test_a_missing_file_or_a_directory_is_an_error, setup,
                                          teardown),
          cmocka_unit_test(test_theme_names_are_simple_names),
          cmocka_unit_test_setup_teardown(test_loading_by_name_refuses_paths, setup, teardown),
          cmocka_unit_test_setup_teardown(
              test_loading_by_name_takes_the_first_directory_that_has_it, setup, teardown),
          cmocka_unit_test_setup_teardown(
              test_default_and_monochrome_are_builtin_when_no_file_has_them, setup, teardown),
          cmocka_unit_test_setup_teardown(
              test_an_unknown_name_is_refused_listing_those_available, setup, teardown),
          cmocka_unit_test_setup_teardown(test_listing_themes_merges_directories_and_builtins,
                                          setup, teardown),
          cmocka_unit_test(test_search_dirs_follow_xdg_and_end_with_the_installed_themes),
          cmocka_unit_test(test_every_shipped_theme_loads),
          cmocka_unit_test(test_default_theme_file_is_the_builtin_default),
          cmocka_unit_test(test_monochrome_theme_file_is_the_builtin_monochrome),
          cmocka_unit_test(test_high_contrast_is_bright_and_never_dim),
          cmocka_unit_test(test_light_follows_the_terminals_background),
          cmocka_unit_test(test_the_template_lists_every_key_with_its_description))
