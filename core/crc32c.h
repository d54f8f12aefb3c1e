/*
** crc32c.h -- CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected), the
** packs' checksum: with SSE 4.2 the processor's crc32 instruction (about
** 8 bytes a cycle's worth faster than zlib's CRC-32 in software), else a
** table.  Same conventions as zlib's crc32: start from 0, chain calls.
*/
#ifndef LECTOR_CRC32C_H
#define LECTOR_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* crc extended by p[0..n); crc32c(0, "123456789", 9) == 0xE3069283. */
uint32_t crc32c(uint32_t crc, const void *p, size_t n);

#endif
