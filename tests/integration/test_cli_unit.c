/* Unit tests of the command line's pure parts: option parsing against the
 * real command table, the streaming sanitiser, and held output. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli_priv.h"
#include "cli/sanstream.h"
#include "test.h"
#include "util/buf.h"
#include "util/jsonu.h"
#include "util/mem.h"
#include "util/sanitize.h"

/* Parses a NULL-terminated word list (argv[0] is added). */
static int parse(cli_args *a, char **err, const char *const *words)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"aidesk";
    for (size_t i = 0; words[i]; i++)
        argv[argc++] = (char *)words[i];
    argv[argc] = NULL;
    *err = NULL;
    return cli_args_parse(cli_commands, argc, argv, a, err);
}

static void cli__takes_global_options_before_and_after_the_command(void **state)
{
    (void)state;
    const char *w[] = {"--json", "chat", "-q", "--timeout=2.5", "-m", "gpt-4o", "hello", "you", NULL};
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, w), 0);
    assert_true(a.g.json);
    assert_true(a.g.quiet);
    assert_string_equal(a.g.timeout, "2.5");
    assert_string_equal(a.g.model, "gpt-4o");
    assert_non_null(a.cmd);
    assert_string_equal(a.cmd->group, "chat");
    assert_int_equal(a.npos, 2);
    assert_string_equal(a.pos[0], "hello");
    assert_string_equal(a.pos[1], "you");
    assert_int_equal(cli_args_check(&a, &err), 0);
    cli_args_free(&a);
}

static void cli__reads_command_options_in_every_spelling(void **state)
{
    (void)state;
    const char *w[] = {"chat", "-sBe brief", "--max-tokens", "5", "--temperature=0.1",
                       "--save", "--", "--not-an-option", "-", NULL};
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, w), 0);
    assert_string_equal(cli_opt(&a, "system"), "Be brief");
    assert_string_equal(cli_opt(&a, "max-tokens"), "5");
    assert_string_equal(cli_opt(&a, "temperature"), "0.1");
    assert_true(cli_flag(&a, "save"));
    assert_false(cli_flag(&a, "no-stream"));
    assert_int_equal(a.npos, 2);
    assert_string_equal(a.pos[0], "--not-an-option");
    assert_string_equal(a.pos[1], "-");
    cli_args_free(&a);
}

static void cli__lets_a_command_option_shadow_a_global_one(void **state)
{
    (void)state;
    /* -m before the command is the chat model; --model after "gate
     * session" is the realtime model. */
    const char *w[] = {"-m", "gpt-4o", "gate", "session", "--model", "rt-model", NULL};
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, w), 0);
    assert_string_equal(a.g.model, "gpt-4o");
    assert_string_equal(cli_opt(&a, "model"), "rt-model");
    assert_string_equal(a.cmd->action, "session");
    cli_args_free(&a);
}

static void cli__keeps_repeated_options_in_order(void **state)
{
    (void)state;
    const char *w[] = {"ws", "create", "--context", "a=1", "--context=b=2", "--mode", "shadow",
                       NULL};
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, w), 0);
    assert_string_equal(cli_opt_nth(&a, "context", 0), "a=1");
    assert_string_equal(cli_opt_nth(&a, "context", 1), "b=2");
    assert_null(cli_opt_nth(&a, "context", 2));
    assert_string_equal(cli_opt(&a, "mode"), "shadow");
    cli_args_free(&a);
}

/* Expects a parse error whose message contains want. */
static void expect_error(const char *const *w, const char *want)
{
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, w), -1);
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("'%s' does not contain '%s'", err, want);
    free(err);
    cli_args_free(&a);
}

static void cli__refuses_what_it_does_not_know(void **state)
{
    (void)state;
    expect_error((const char *[]){"chat", "--bogus", NULL}, "unknown option '--bogus'");
    expect_error((const char *[]){"-x", NULL}, "unknown option '-x'");
    expect_error((const char *[]){"chat", "--max-tokens", NULL}, "needs a value");
    expect_error((const char *[]){"chat", "--save=yes", NULL}, "takes no value");
    expect_error((const char *[]){"frobnicate", NULL}, "unknown command 'frobnicate'");
    expect_error((const char *[]){"ws", "frob", NULL}, "unknown ws command 'frob'");
    /* A command option is not known before its command. */
    expect_error((const char *[]){"--save", "chat", NULL}, "unknown option '--save'");
    /* No option carries a key. */
    expect_error((const char *[]){"chat", "--api-key", "aai_x", NULL}, "unknown option");
}

static void cli__checks_the_number_of_arguments(void **state)
{
    (void)state;
    cli_args a;
    char *err;
    assert_int_equal(parse(&a, &err, (const char *[]){"ws", "get", NULL}), 0);
    assert_int_equal(cli_args_check(&a, &err), -1);
    assert_non_null(strstr(err, "missing argument"));
    free(err);
    cli_args_free(&a);
    assert_int_equal(parse(&a, &err, (const char *[]){"ws", "get", "a", "b", NULL}), 0);
    assert_int_equal(cli_args_check(&a, &err), -1);
    assert_non_null(strstr(err, "unexpected argument 'b'"));
    free(err);
    cli_args_free(&a);
    assert_int_equal(parse(&a, &err, (const char *[]){"ws", NULL}), 0);
    assert_null(a.cmd);
    assert_string_equal(a.group, "ws");
    cli_args_free(&a);
    assert_int_equal(parse(&a, &err, (const char *[]){"ws", "send", "--help", NULL}), 0);
    assert_true(a.g.help);
    assert_string_equal(a.cmd->action, "send");
    cli_args_free(&a);
}

/* Feeds text in the given pieces and compares with the one-shot result. */
static void check_split(const char *text, size_t len, const size_t *cuts, size_t ncuts,
                        unsigned flags)
{
    char *want = sanitize_dup(text, len, flags);
    cli_sanstream s;
    cli_sanstream_init(&s, flags);
    buf_t got = BUF_INIT;
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        cli_sanstream_feed(&s, text + at, end - at, &got);
        at = end;
    }
    cli_sanstream_finish(&s, &got);
    if (strcmp(buf_cstr(&got), want) != 0)
        fail_msg("split of %zu pieces differs: got '%s', want '%s'", ncuts + 1, buf_cstr(&got),
                 want);
    buf_free(&got);
    cli_sanstream_free(&s);
    free(want);
}

static const char *const samples[] = {
    "plain ascii",
    "line one\r\nline two\r\n",
    "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb",
    "\x1b[2J\x1b]52;c;SGVsbG8=\x07 clear \r back\b",
    "bad \xff\xfe \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80 end",
    "bidi \xe2\x80\xae txt \xe2\x80\xac zw\xe2\x80\x8b \xc2\x9b" "31m \xc2\x85",
    "cut at the end \xe4\xb8",
    "lone cr\r",
    "\r\r\n\r",
    /* ZWJ: kept between emoji, shown elsewhere, whatever the cuts */
    "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7 a\xe2\x80\x8d" "b "
    "\xf0\x9f\x91\xa9\xf0\x9f\x8f\xbd\xe2\x80\x8d\xf0\x9f\x92\xbb \xe2\x80\x8c \xf0\x9f\x91\xa9\xe2\x80\x8d",
    "nul \xc0\x80 held",
};

static void cli__sanitises_a_stream_like_the_whole_text(void **state)
{
    (void)state;
    unsigned flag_sets[] = {SAN_KEEP_NEWLINE | SAN_KEEP_TAB, 0};
    for (size_t f = 0; f < 2; f++) {
        for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
            const char *t = samples[i];
            size_t len = strlen(t);
            /* Every single cut, and every pair of cuts. */
            for (size_t a = 0; a <= len; a++) {
                check_split(t, len, &a, 1, flag_sets[f]);
                for (size_t b = a; b <= len; b++) {
                    size_t cuts[2] = {a, b};
                    check_split(t, len, cuts, 2, flag_sets[f]);
                }
            }
            /* One byte at a time. */
            size_t *each = xcalloc(len + 1, sizeof *each);
            for (size_t k = 0; k < len; k++)
                each[k] = k;
            check_split(t, len, each, len, flag_sets[f]);
            free(each);
        }
    }
}

static void cli__never_splits_a_character_in_its_output(void **state)
{
    (void)state;
    /* "中" arrives byte by byte: nothing is written until it is whole. */
    cli_sanstream s;
    cli_sanstream_init(&s, SAN_KEEP_NEWLINE);
    buf_t out = BUF_INIT;
    cli_sanstream_feed(&s, "\xe4", 1, &out);
    cli_sanstream_feed(&s, "\xb8", 1, &out);
    assert_int_equal(out.len, 0);
    cli_sanstream_feed(&s, "\xad", 1, &out);
    assert_string_equal(buf_cstr(&out), "\xe4\xb8\xad");
    /* A CR waits for its LF. */
    cli_sanstream_feed(&s, "\r", 1, &out);
    assert_int_equal(out.len, 3);
    cli_sanstream_feed(&s, "\nx", 2, &out);
    assert_string_equal(buf_cstr(&out), "\xe4\xb8\xad\nx");
    cli_sanstream_finish(&s, &out);
    buf_free(&out);
    cli_sanstream_free(&s);
}

static void cli__makes_json_strings_valid_utf8(void **state)
{
    (void)state;
    json_object *o = cli_jstr("ok \xff end");
    assert_string_equal(json_object_get_string(o), "ok \xef\xbf\xbd end");
    json_object_put(o);
    assert_null(cli_jstr(NULL));
}

static void cli__json_carries_a_nul_as_u0000(void **state)
{
    (void)state;
    /* A message whose content held \u0000, decoded and written for --json. */
    const char *body = "[{\"id\":\"m1\",\"role\":\"user\",\"content\":\"a\\u0000b \xc3\xa9 \xff\"}]";
    char *err = NULL;
    ai_message_list *l = ai_decode_ws_history(body, strlen(body), &err);
    assert_non_null(l);
    json_object *o = cli_jmessages(l);
    char *text = jsonu_to_string(o);
    if (!strstr(text, "\"content\":\"a\\u0000b \xc3\xa9 \xef\xbf\xbd\""))
        fail_msg("got %s", text);
    free(text);
    json_object_put(o);
    ai_message_list_free(l);
    /* The JSON string itself holds the NUL. */
    o = cli_jstr("x\xc0\x80y");
    assert_int_equal(json_object_get_string_len(o), 3);
    assert_memory_equal(json_object_get_string(o), "x\0y", 3);
    json_object_put(o);
}

/* Standard output on a pipe for a while: the write end replaces fd 1, the
 * read end (non-blocking) is returned. out_restore (the tests' teardown,
 * so that a failed assertion does not leave it) puts fd 1 back. */
static int saved_stdout = -1;

static int out_to_pipe(void)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    /* Room for what one flush may write, so that it never blocks. */
    if (fcntl(fds[1], F_SETPIPE_SZ, 4 * CLI_OUT_HOLD) < 4 * CLI_OUT_HOLD)
        fail_msg("cannot make a pipe of %d bytes", 4 * CLI_OUT_HOLD);
    fflush(stdout);
    saved_stdout = dup(STDOUT_FILENO);
    assert_true(saved_stdout >= 0);
    assert_true(dup2(fds[1], STDOUT_FILENO) >= 0);
    close(fds[1]);
    return fds[0];
}

static int out_restore(void **state)
{
    (void)state;
    if (saved_stdout >= 0) {
        fflush(stdout);
        clearerr(stdout);
        dup2(saved_stdout, STDOUT_FILENO);
        close(saved_stdout);
        saved_stdout = -1;
    }
    return 0;
}

/* What the pipe holds now (at most n - 1 bytes), as a string. */
static const char *pipe_now(int rd, char *buf, size_t n)
{
    ssize_t k = read(rd, buf, n - 1);
    buf[k > 0 ? k : 0] = '\0';
    return buf;
}

static void cli__holds_streamed_text_unless_on_a_terminal(void **state)
{
    (void)state;
    char got[256];
    int rd = out_to_pipe();
    cli_ctx c;
    memset(&c, 0, sizeof c);
    /* Not a terminal: the pieces wait for a flush, then go in one write. */
    assert_true(cli_out_put(&c, "Hel", 3));
    assert_true(cli_out_put(&c, "lo ", 3));
    assert_string_equal(pipe_now(rd, got, sizeof got), "");
    assert_true(cli_out_flush(&c));
    assert_string_equal(pipe_now(rd, got, sizeof got), "Hello ");
    assert_int_equal(c.out_writes, 1);
    assert_int_equal(c.out_bytes, 6);
    /* Held text never grows past CLI_OUT_HOLD: then it goes out. */
    char *big = xmalloc(CLI_OUT_HOLD);
    memset(big, 'x', CLI_OUT_HOLD);
    assert_true(cli_out_put(&c, big, CLI_OUT_HOLD - 1));
    assert_string_equal(pipe_now(rd, got, sizeof got), "");
    assert_true(cli_out_put(&c, "y", 1));
    assert_int_equal(c.out.len, 0);
    assert_int_equal(c.out_writes, 2);
    while (read(rd, big, CLI_OUT_HOLD) > 0)
        ;
    free(big);
    /* A terminal: each piece at once, so a person sees the reply come. */
    c.out_live = true;
    assert_true(cli_out_put(&c, "wor", 3));
    assert_string_equal(pipe_now(rd, got, sizeof got), "wor");
    assert_true(cli_out_put(&c, "ld", 2));
    assert_string_equal(pipe_now(rd, got, sizeof got), "ld");
    close(rd);
    buf_free(&c.out);
}

static void cli__reports_a_broken_stdout_and_drops_the_rest(void **state)
{
    (void)state;
    int rd = out_to_pipe();
    close(rd); /* nobody reads: a write fails with EPIPE (SIGPIPE ignored) */
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    cli_ctx c;
    memset(&c, 0, sizeof c);
    assert_true(cli_out_put(&c, "text", 4));
    assert_false(cli_out_flush(&c));
    assert_true(c.out_broken);
    assert_false(cli_out_put(&c, "more", 4));
    assert_int_equal(c.out.len, 0);
    out_restore(NULL);
    signal(SIGPIPE, old);
    buf_free(&c.out);
}

TEST_MAIN(cmocka_unit_test(cli__takes_global_options_before_and_after_the_command),
          cmocka_unit_test(cli__reads_command_options_in_every_spelling),
          cmocka_unit_test(cli__lets_a_command_option_shadow_a_global_one),
          cmocka_unit_test(cli__keeps_repeated_options_in_order),
          cmocka_unit_test(cli__refuses_what_it_does_not_know),
          cmocka_unit_test(cli__checks_the_number_of_arguments),
          cmocka_unit_test(cli__sanitises_a_stream_like_the_whole_text),
          cmocka_unit_test(cli__never_splits_a_character_in_its_output),
          cmocka_unit_test(cli__makes_json_strings_valid_utf8),
          cmocka_unit_test(cli__json_carries_a_nul_as_u0000),
          cmocka_unit_test_teardown(cli__holds_streamed_text_unless_on_a_terminal, out_restore),
          cmocka_unit_test_teardown(cli__reports_a_broken_stdout_and_drops_the_rest, out_restore))
