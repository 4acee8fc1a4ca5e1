"""Independent reference of docs/noise.md (Philox4x32-10 + Box-Muller), for cross-checking
PhiloxNoise from another language. Usage: python3 philox_noise_reference.py SEED IMAGE DRAW COUNT"""
import math
import sys

M0, M1, W0, W1, MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF


def philox4x32_10(ctr, key):
    c0, c1, c2, c3 = ctr
    k0, k1 = key
    for r in range(10):
        if r:
            k0, k1 = (k0 + W0) & MASK, (k1 + W1) & MASK
        p0, p1 = M0 * c0, M1 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & MASK, p1 & MASK, ((p0 >> 32) ^ c3 ^ k1) & MASK, p0 & MASK
    return c0, c1, c2, c3


def gaussian(seed, image, draw, count):
    seed &= 0xFFFFFFFFFFFFFFFF
    key = (seed & MASK, seed >> 32)
    out = []
    block = 0
    while len(out) < count:
        x = philox4x32_10((block, draw & MASK, image & MASK, 0), key)
        for a, b in ((x[0], x[1]), (x[2], x[3])):
            u1, u2 = (a + 0.5) / 2**32, (b + 0.5) / 2**32
            r = math.sqrt(-2.0 * math.log(u1))
            out += [r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)]
        block += 1
    return out[:count]


if __name__ == "__main__":
    import struct
    seed, image, draw, count = (int(a) for a in sys.argv[1:5])
    for v in gaussian(seed, image, draw, count):
        f = struct.unpack("f", struct.pack("f", v))[0]  # round to float32 like the Java code
        print(repr(f), hex(struct.unpack("I", struct.pack("f", v))[0]))
