/* Unit tests for the Realtime API's events and WAV files. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api/realtime.h"
#include "util/wav.h"
#include "test.h"

static rt_event decode_ok(const char *json)
{
    rt_event ev;
    memset(&ev, 0, sizeof ev);
    char *err = NULL;
    assert_int_equal(rt_decode(json, strlen(json), &ev, &err), 0);
    assert_null(err);
    return ev;
}

static void realtime__both_generations_decode_to_the_same_kinds(void **state)
{
    (void)state;
    const struct {
        const char *json;
        rt_kind kind;
        bool beta;
    } cases[] = {
        {"{\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}", RT_TEXT_DELTA, false},
        {"{\"type\":\"response.text.delta\",\"delta\":\"Hi\"}", RT_TEXT_DELTA, true},
        {"{\"type\":\"response.output_audio_transcript.delta\",\"delta\":\"Hi\"}", RT_TRANSCRIPT_DELTA, false},
        {"{\"type\":\"response.audio_transcript.delta\",\"delta\":\"Hi\"}", RT_TRANSCRIPT_DELTA, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rt_event ev = decode_ok(cases[i].json);
        assert_int_equal(ev.kind, cases[i].kind);
        assert_int_equal(ev.beta, cases[i].beta);
        assert_string_equal(ev.text, "Hi");
        rt_event_clear(&ev);
    }
    const char *audio[] = {"{\"type\":\"response.output_audio.delta\",\"delta\":\"AAEC/w==\"}",
                           "{\"type\":\"response.audio.delta\",\"delta\":\"AAEC/w==\"}"};
    for (size_t i = 0; i < 2; i++) {
        rt_event ev = decode_ok(audio[i]);
        assert_int_equal(ev.kind, RT_AUDIO_DELTA);
        assert_int_equal(ev.audio.len, 4);
        assert_memory_equal(ev.audio.data, "\x00\x01\x02\xff", 4);
        rt_event_clear(&ev);
    }
    rt_event ev = decode_ok("{\"type\":\"conversation.item.added\",\"item\":{}}");
    assert_int_equal(ev.kind, RT_OTHER);
    assert_string_equal(ev.type, "conversation.item.added");
    rt_event_clear(&ev);
}

static void realtime__usage_errors_and_rate_limits_in_words(void **state)
{
    (void)state;
    rt_event ev = decode_ok(
        "{\"type\":\"response.done\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":"
        "{\"total_tokens\":30,\"input_tokens\":10,\"output_tokens\":20,"
        "\"input_token_details\":{\"text_tokens\":8,\"audio_tokens\":2,\"cached_tokens\":1},"
        "\"output_token_details\":{\"text_tokens\":5,\"audio_tokens\":15}}}}");
    assert_int_equal(ev.kind, RT_RESPONSE_DONE);
    assert_string_equal(ev.status, "completed");
    assert_string_equal(ev.response_id, "resp_1");
    assert_true(ev.has_usage);
    assert_int_equal(ev.usage.total, 30);
    assert_int_equal(ev.usage.input_audio, 2);
    assert_int_equal(ev.usage.output_audio, 15);
    rt_event_clear(&ev);
    ev = decode_ok("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"code\":"
                   "\"rate_limit_exceeded\",\"message\":\"slow down\"}}");
    assert_int_equal(ev.kind, RT_ERROR);
    char *t = rt_error_text(&ev);
    assert_string_equal(t, "rate limit reached: slow down");
    free(t);
    rt_event_clear(&ev);
    ev = decode_ok("{\"type\":\"rate_limits.updated\",\"rate_limits\":[{\"name\":\"requests\","
                   "\"limit\":5000,\"remaining\":0,\"reset_seconds\":1.5}]}");
    assert_int_equal(ev.kind, RT_RATE_LIMITS);
    t = rt_rates_text(&ev);
    assert_string_equal(t, "requests 0 of 5000 left, reset in 1.5 s");
    free(t);
    rt_event_clear(&ev);
    char *err = NULL;
    const char *bad[] = {"not json", "{\"delta\":\"x\"}",
                         "{\"type\":\"response.audio.delta\",\"delta\":\"***\"}"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(rt_decode(bad[i], strlen(bad[i]), &ev, &err), -1);
        assert_non_null(err);
        free(err);
        err = NULL;
        rt_event_clear(&ev);
    }
}

static void realtime__client_events(void **state)
{
    (void)state;
    char *s = rt_user_text("say \"hi\"");
    assert_string_equal(s, "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\","
                           "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
                           "\"say \\\"hi\\\"\"}]}}");
    free(s);
    s = rt_audio_append("\x01\x02\x03", 3);
    assert_string_equal(s, "{\"type\":\"input_audio_buffer.append\",\"audio\":\"AQID\"}");
    free(s);
    s = rt_session_update("Be brief.", NULL);
    assert_string_equal(s, "{\"type\":\"session.update\",\"session\":{\"instructions\":\"Be brief.\"}}");
    free(s);
}

static void wav__round_trip_and_conversion(void **state)
{
    (void)state;
    buf_t f = BUF_INIT, pcm = BUF_INIT;
    wav_header(&f, 8);
    buf_append(&f, "\x01\x00\x02\x00\x03\x00\x04\x00", 8);
    assert_int_equal(f.len, 52);
    char *err = NULL;
    assert_int_equal(wav_decode(f.data, f.len, &pcm, &err), 0);
    assert_int_equal(pcm.len, 8);
    assert_memory_equal(pcm.data, "\x01\x00\x02\x00\x03\x00\x04\x00", 8);
    /* Stereo at 12 kHz: averaged, then twice the frames. */
    buf_clear(&f);
    buf_clear(&pcm);
    wav_header(&f, 8);
    f.data[22] = 2;                                     /* channels */
    f.data[24] = (char)(12000 & 0xff);
    f.data[25] = (char)(12000 >> 8);
    buf_append(&f, "\x0a\x00\x14\x00\x1e\x00\x28\x00", 8); /* (10,20) (30,40) */
    assert_int_equal(wav_decode(f.data, f.len, &pcm, &err), 0);
    assert_int_equal(pcm.len, 8);
    const int16_t *v = (const int16_t *)(const void *)pcm.data;
    assert_int_equal(v[0], 15);
    assert_int_equal(v[1], 25);
    assert_int_equal(v[2], 35);
    /* Refused in words. */
    assert_int_equal(wav_decode("RIFF\0\0\0\0WAVX", 12, &pcm, &err), -1);
    assert_non_null(strstr(err, "not a WAV"));
    free(err);
    f.data[34] = 8; /* 8-bit */
    assert_int_equal(wav_decode(f.data, f.len, &pcm, &err), -1);
    assert_non_null(strstr(err, "16-bit"));
    free(err);
    buf_free(&f);
    buf_free(&pcm);
    assert_int_equal(wav_ms(48000), 1000);
}

TEST_MAIN(cmocka_unit_test(realtime__both_generations_decode_to_the_same_kinds),
          cmocka_unit_test(realtime__usage_errors_and_rate_limits_in_words),
          cmocka_unit_test(realtime__client_events),
          cmocka_unit_test(wav__round_trip_and_conversion))
