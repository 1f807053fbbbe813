/* clock.h: time sources. Monotonic time for durations and timers, wall
 * time only for what people read (timestamps) and what servers send. */
#ifndef AIDESK_UTIL_CLOCK_H
#define AIDESK_UTIL_CLOCK_H

#include <stdint.h>

int64_t clock_mono_us(void);
int64_t clock_mono_ms(void);
int64_t clock_wall_ms(void);

#endif
