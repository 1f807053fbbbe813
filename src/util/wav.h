/* wav.h: WAV files of PCM16 audio, as the Realtime API speaks it.
 *
 * The API's audio is PCM16, little endian, mono, 24 kHz. Reading takes
 * any PCM WAV of 16-bit samples (mono or stereo, any rate) and converts it
 * to that: channels are averaged, the rate changed by linear
 * interpolation (enough for speech). Anything else is refused in words. */
#ifndef AIDESK_UTIL_WAV_H
#define AIDESK_UTIL_WAV_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define WAV_RATE 24000

/* Appends the 44-byte header of a PCM16 mono 24 kHz file whose samples
 * take data_bytes. */
void wav_header(buf_t *out, uint32_t data_bytes);
/* Decodes a WAV file (len bytes at p) into PCM16 mono 24 kHz samples
 * appended to pcm. Returns 0, or -1 with *err (new string). */
int wav_decode(const void *p, size_t len, buf_t *pcm, char **err);
/* Milliseconds of PCM16 mono 24 kHz audio in bytes. */
int64_t wav_ms(size_t bytes);

#endif
