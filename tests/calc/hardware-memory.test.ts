// Runtime-visible device memory (visibleMemoryBytes) against the published figures it was taken from, by hand.
import {describe, expect, it} from 'vitest'
import {loadHardware} from '../../src/presets/load.js'

const MiB = 2 ** 20
const GiB = 2 ** 30

describe('NVIDIA: the CUDA total (deviceQuery totalGlobalMem = torch total_memory)', () => {
  it('H100 SXM: deviceQuery "81090 MBytes (85028896768 bytes)", which vLLM logs as total_gpu_memory (79.19GiB)', () => {
    const hw = loadHardware('h100')
    expect(hw.visibleMemoryBytes).toBe(85_028_896_768)
    expect(85_028_896_768 / MiB).toBe(81_089.875) // deviceQuery prints it to the nearest MiB: 81090
    expect((85_028_896_768 / GiB).toFixed(2)).toBe('79.19') // 79.1884... GiB
    expect(hw.memoryBytes).toBe(80 * GiB) // nominal 80 GiB; the driver keeps back 870,449,152 bytes = 830.1 MiB
    expect(hw.memoryBytes - hw.visibleMemoryBytes!).toBe(870_449_152)
  })

  it('RTX 3090: deviceQuery "24154 MBytes (25327697920 bytes)" = 23.59 GiB of the 24 GiB (24576 MiB) card', () => {
    const hw = loadHardware('rtx3090')
    expect(hw.visibleMemoryBytes).toBe(25_327_697_920)
    expect(Math.round(25_327_697_920 / MiB)).toBe(24_154)
    expect(25_327_697_920 / GiB).toBeCloseTo(23.5883, 4) // prints 23.59; vLLM logs 23.58 on drivers that keep a little more
    expect(hw.memoryBytes).toBe(24_576 * MiB)
  })

  it('L4: deviceQuery 23,570,219,008 bytes (22478 MiB) against nvidia-smi 23034 MiB with ECC on', () => {
    const hw = loadHardware('l4')
    expect(hw.visibleMemoryBytes).toBe(23_570_219_008)
    expect(hw.memoryBytes).toBe(23_034 * MiB) // 24,152,899,584
    expect(hw.memoryBytes - hw.visibleMemoryBytes!).toBe(582_680_576) // 555.6875 MiB kept by the driver
  })

  it('A100 80GB SXM: deviceQuery 81158 MiB (85,100,068,864 bytes) = 79.26 GiB', () => {
    const hw = loadHardware('a100-80gb')
    expect(hw.visibleMemoryBytes).toBe(85_100_068_864)
    expect((85_100_068_864 / GiB).toFixed(2)).toBe('79.26')
  })

  it('A10G: torch "total_memory=22587MB" (total_memory // 2^20) stored as 22587 MiB, below nvidia-smi 23028 MiB', () => {
    const hw = loadHardware('a10g')
    expect(hw.visibleMemoryBytes).toBe(22_587 * MiB)
    expect(22_587 * MiB).toBe(23_684_186_112)
    expect(hw.memoryBytes).toBe(23_028 * MiB) // 24,146,608,128, the same nvidia-smi total as the PCIe A10
    expect(hw.memoryBytes - hw.visibleMemoryBytes!).toBe(441 * MiB)
  })

  it('H20: torch "total_memory=97285MB" = 95.00 GiB of the 96 GiB HBM3 (nvidia-smi shows 97871 MiB)', () => {
    const hw = loadHardware('h20')
    expect(hw.visibleMemoryBytes).toBe(97_285 * MiB)
    expect(97_285 * MiB).toBe(102_010_716_160)
    expect((102_010_716_160 / GiB).toFixed(2)).toBe('95.00')
    expect(hw.memoryBytes).toBe(96 * GiB)
  })

  it('RTX 4080: torch "total_memory=16049MB" = 15.67 GiB of the 16 GiB card', () => {
    const hw = loadHardware('rtx4080')
    expect(hw.visibleMemoryBytes).toBe(16_049 * MiB)
    expect(16_049 * MiB).toBe(16_828_596_224)
    expect((16_828_596_224 / GiB).toFixed(2)).toBe('15.67')
    expect(hw.memoryBytes).toBe(16 * GiB)
  })

  it('where only nvidia-smi is published the MiB total is stored as bytes, unchanged (H200: 143771 MiB)', () => {
    const hw = loadHardware('h200')
    expect(hw.visibleMemoryBytes).toBe(143_771 * MiB)
    expect(143_771 * MiB).toBe(150_754_820_096)
  })
})

describe('AMD: the HIP total (hipDeviceProp totalGlobalMem = torch total_memory on ROCm)', () => {
  it('MI300X: HIP device query "196592: Total Global Memory (MB)" = 191.98 GiB of the 192 GiB card', () => {
    const hw = loadHardware('mi300x')
    expect(hw.visibleMemoryBytes).toBe(196_592 * MiB)
    expect(196_592 * MiB).toBe(206_141_652_992)
    expect((206_141_652_992 / GiB).toFixed(2)).toBe('191.98')
  })

  it('MI250X, one GCD: 68,702,699,520 bytes = 65520 MiB (torch "total_memory=65520MB"), 16 MiB below the GCD\'s 64 GiB', () => {
    const hw = loadHardware('mi250x')
    expect(hw.visibleMemoryBytes).toBe(68_702_699_520)
    expect(68_702_699_520 / MiB).toBe(65_520)
    expect(hw.memoryBytes).toBe(64 * GiB) // one GCD: half of the OAM's 128 GiB
    expect(hw.memoryBytes - hw.visibleMemoryBytes!).toBe(16 * MiB)
  })
})

describe('Apple silicon: Metal recommendedMaxWorkingSetSize at the default wired limit', () => {
  it('M4 Max 128 GB: 115,448,725,504 bytes, published as 107.52 GiB on macOS 26, 84% of the 128 GiB', () => {
    const hw = loadHardware('m4-max')
    expect(hw.visibleMemoryBytes).toBe(115_448_725_504)
    expect(115_448_725_504 / 16_384).toBe(7_046_431) // whole 16 KiB pages
    expect((115_448_725_504 / GiB).toFixed(2)).toBe('107.52')
    expect(hw.visibleMemoryBytes! / (128 * GiB)).toBeCloseTo(0.84, 2)
  })

  it('M3 Ultra 512 GB: llama.cpp prints bytes / 1e6, "498216.21 MB" = 464 GiB', () => {
    const hw = loadHardware('m3-ultra')
    expect(hw.visibleMemoryBytes).toBe(464 * GiB)
    expect((464 * GiB / 1e6).toFixed(2)).toBe('498216.21')
  })

  it('M3 Max 128 GB: llama.cpp "103079.22 MB" (bytes / 1e6) = 96 GiB = 75% of 128 GiB (macOS 14)', () => {
    const hw = loadHardware('m3-max')
    expect(hw.visibleMemoryBytes).toBe(96 * GiB)
    expect((96 * GiB / 1e6).toFixed(2)).toBe('103079.22')
    expect(hw.visibleMemoryBytes).toBe(98_304 * MiB) // the allocation lines print '(... / 98304.00)'
    expect(hw.visibleMemoryBytes).toBe(0.75 * 128 * GiB)
  })

  it('M4 Pro 64 GB: "49152.00 MiB" (older llama.cpp printed MiB) = 48 GiB = 75% of 64 GiB', () => {
    const hw = loadHardware('m4-pro')
    expect(hw.visibleMemoryBytes).toBe(49_152 * MiB)
    expect(hw.visibleMemoryBytes).toBe(0.75 * 64 * GiB)
  })
})

describe('no published runtime figure: null, never a guess', () => {
  it.each(['gaudi3', 'tpu-v5e', 'mi325x', 'h800', 'l20', 'gaudi2', 'm2-ultra'])('%s', (id) => {
    const hw = loadHardware(id)
    expect(hw.visibleMemoryBytes).toBeNull()
    expect(hw.sources.visibleMemoryBytes).toBeUndefined()
  })
})
