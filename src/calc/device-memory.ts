// The memory of one device as the runtime reports it: what engines and archcost size from.
import type {HardwareSpec} from '../schema/hardware.js'

/**
 * CUDA/ROCm's total (visibleMemoryBytes; the nominal memory where no runtime figure is published), or on Apple
 * silicon the wired limit when it is set (`sysctl iogpu.wired_limit_mb`, --wired-limit), at most the whole memory.
 */
export function visibleMemoryBytes(hw: HardwareSpec, wiredLimitBytes: number | null = null): number {
  if (wiredLimitBytes !== null && hw.vendor === 'Apple') return Math.min(wiredLimitBytes, hw.memoryBytes)
  return hw.visibleMemoryBytes ?? hw.memoryBytes
}
