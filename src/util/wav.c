/* wav.c: RIFF WAVE files of PCM16 samples. */
#include "config.h"
#include "util/wav.h"

#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

void wav_header(buf_t *out, uint32_t data_bytes)
{
    unsigned char h[44];
    memcpy(h, "RIFF", 4);
    put32(h + 4, 36 + data_bytes);
    memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16);
    put16(h + 20, 1);                  /* PCM */
    put16(h + 22, 1);                  /* mono */
    put32(h + 24, WAV_RATE);
    put32(h + 28, WAV_RATE * 2);       /* bytes a second */
    put16(h + 32, 2);                  /* bytes a frame */
    put16(h + 34, 16);                 /* bits a sample */
    memcpy(h + 36, "data", 4);
    put32(h + 40, data_bytes);
    buf_append(out, h, sizeof h);
}

int64_t wav_ms(size_t bytes)
{
    return (int64_t)(bytes / 2) * 1000 / WAV_RATE;
}

int wav_decode(const void *data, size_t len, buf_t *pcm, char **err)
{
    const unsigned char *p = data;
    if (len < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WAVE", 4)) {
        *err = xstrdup("not a WAV file (no RIFF WAVE header)");
        return -1;
    }
    size_t at = 12;
    unsigned channels = 0, bits = 0, format = 0;
    uint32_t rate = 0;
    const unsigned char *samples = NULL;
    size_t nbytes = 0;
    while (at + 8 <= len) {
        uint32_t size = get32(p + at + 4);
        const unsigned char *body = p + at + 8;
        size_t avail = len - at - 8;
        if (!memcmp(p + at, "fmt ", 4)) {
            if (size < 16 || avail < 16) {
                *err = xstrdup("the WAV file's format chunk is too short");
                return -1;
            }
            format = get16(body);
            channels = get16(body + 2);
            rate = get32(body + 4);
            bits = get16(body + 14);
            if (format == 0xFFFE && size >= 26 && avail >= 26)
                format = get16(body + 24); /* WAVE_FORMAT_EXTENSIBLE: the sub-format */
        } else if (!memcmp(p + at, "data", 4)) {
            samples = body;
            nbytes = size < avail ? size : avail; /* a cut file: what is there */
            break;
        }
        if (size > avail)
            break;
        at += 8 + (size_t)size + (size & 1);
    }
    if (!format) {
        *err = xstrdup("the WAV file has no format chunk");
        return -1;
    }
    if (format != 1 || bits != 16) {
        *err = xasprintf("the WAV file is not 16-bit PCM (format %u, %u bits): convert it first, "
                         "e.g. sox IN.wav -b 16 OUT.wav", format, bits);
        return -1;
    }
    if (channels < 1 || channels > 2 || rate < 4000 || rate > 192000) {
        *err = xasprintf("the WAV file has %u channels at %u Hz: mono or stereo, 4 to 192 kHz, "
                         "can be sent", channels, (unsigned)rate);
        return -1;
    }
    if (!samples) {
        *err = xstrdup("the WAV file has no data chunk");
        return -1;
    }
    size_t frames = nbytes / (2 * channels);
    if (!frames) {
        *err = xstrdup("the WAV file holds no audio");
        return -1;
    }
    /* Mono first, then the rate. */
    int16_t *mono = xmalloc(frames * sizeof *mono);
    for (size_t i = 0; i < frames; i++) {
        int32_t s = (int16_t)get16(samples + i * 2 * channels);
        if (channels == 2)
            s = (s + (int16_t)get16(samples + i * 4 + 2)) / 2;
        mono[i] = (int16_t)s;
    }
    size_t out = rate == WAV_RATE ? frames : (size_t)((uint64_t)frames * WAV_RATE / rate);
    buf_reserve(pcm, out * 2);
    for (size_t i = 0; i < out; i++) {
        int16_t v;
        if (rate == WAV_RATE) {
            v = mono[i];
        } else {
            uint64_t num = (uint64_t)i * rate;
            size_t k = (size_t)(num / WAV_RATE);
            double f = (double)(num % WAV_RATE) / WAV_RATE;
            int16_t a = mono[k], b = k + 1 < frames ? mono[k + 1] : mono[k];
            v = (int16_t)(a + (b - a) * f);
        }
        unsigned char le[2] = {(unsigned char)v, (unsigned char)((uint16_t)v >> 8)};
        buf_append(pcm, le, 2);
    }
    free(mono);
    return 0;
}
