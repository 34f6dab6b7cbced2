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

  it('M4 Pro 64 GB: "49152.00 MiB" (older llama.cpp printed MiB) = 48 GiB = 75% of 64 GiB', () => {
    const hw = loadHardware('m4-pro')
    expect(hw.visibleMemoryBytes).toBe(49_152 * MiB)
    expect(hw.visibleMemoryBytes).toBe(0.75 * 64 * GiB)
  })
})

describe('no published runtime figure: null, never a guess', () => {
  it.each(['gaudi3', 'tpu-v5e', 'mi325x'])('%s', (id) => {
    const hw = loadHardware(id)
    expect(hw.visibleMemoryBytes).toBeNull()
    expect(hw.sources.visibleMemoryBytes).toBeUndefined()
  })
})
