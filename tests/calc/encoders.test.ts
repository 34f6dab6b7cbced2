// Encoder and projector parameters, worked out from each config's vision_config.
import {describe, expect, it} from 'vitest'
import {encoderParams} from '../../src/calc/encoders.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadModel} from '../../src/presets/load.js'

describe('Gemma 3 SigLIP tower + projector (h 1152, ffn 4304, 27 layers, patch 14, image 896, no pooling head)', () => {
  const h = 1152
  const i = 4304
  const tower =
    (3 * 14 * 14 * h + h) /* patch conv + bias */ +
    (896 / 14) ** 2 * h /* 4096 positions */ +
    27 * (4 * (h * h + h) /* q k v out */ + (h * i + i) + (i * h + h) /* fc1 fc2 */ + 4 * h /* two LayerNorms */) +
    2 * h /* post_layernorm */
  it.each([
    ['gemma-3-4b-it', 2560],
    ['gemma-3-12b-it', 3840],
    ['gemma-3-27b-it', 5376],
  ])('%s', (id, textHidden) => {
    const spec = loadModel(id)
    expect(encoderParams(spec.encoders[0]!)).toBe(tower)
    expect(encoderParams(spec.encoders[1]!)).toBe(h * textHidden + h) // projection + soft-embedding norm
    expect(paramCounts(spec).encoderParams).toBe(tower + h * textHidden + h)
  })
  it('text + encoders of Gemma 3 4B give the checkpoint total 4,300,079,472', () => {
    const p = paramCounts(loadModel('gemma-3-4b-it'))
    expect(p.totalParams + p.encoderParams).toBe(4_300_079_472)
  })
})

describe('Mistral Small 3.1: Pixtral tower + projector', () => {
  it('tower (h 1024, ffn 4096, 24 layers, patch 14, no biases) and projector (merge 2, no bias)', () => {
    const spec = loadModel('mistral-small-3.1-24b-instruct-2503')
    const tower = 3 * 14 * 14 * 1024 + 1024 + 24 * (4 * 1024 * 1024 + 3 * 1024 * 4096 + 2 * 1024)
    const projector = 1024 /* norm */ + 1024 * 4 * 1024 /* merging layer */ + 1024 * 5120 /* linear_1 */ + 5120 * 5120 /* linear_2 */
    expect(paramCounts(spec).encoderParams).toBe(tower + projector)
    expect(paramCounts(spec).totalParams + tower + projector).toBe(24_011_361_280) // the checkpoint's total
  })
})

describe('Llama 4: the trimmed configs have no vision_config', () => {
  it('uses Llama4VisionConfig defaults and says so', () => {
    const spec = loadModel('llama-4-scout-17b-16e-instruct')
    expect(spec.notes?.join(' ')).toContain('class defaults')
    const h = 768
    const i = 5632
    const tower = 3 * 14 * 14 * h + h + ((448 / 14) ** 2 + 1) * h + 4 * h + 34 * (4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h) + (i * 4096 + 4096 * 4096)
    expect(paramCounts(spec).encoderParams).toBe(tower + 7680 * 5120)
  })
})

describe('Gemma 3n: the audio encoder and both multimodal embedders count from the config; the timm vision tower does not', () => {
  it('Gemma3nAudioEncoder (D 1536, 12 conformer blocks, 8 heads, conv kernel 5, 128 mel bins, SSCP 128 -> 32 channels)', () => {
    const d = 1536
    const subsample = 1 * 128 * 3 * 3 + 128 + 128 * 32 * 3 * 3 + 32 + 32 * 32 * d // two convs + group norms; 128 bins -> 64 -> 32
    const feedForward = 2 * d + 2 * 4 * d * d
    const attention = 2 * d + 5 * d * d + d / 8 // 2 norms, q/k/v/post/pos_proj, per_dim_scale (head dim 192)
    const lightConv = 2 * d + 3 * d * d + d * 5
    const audio = subsample + 12 * (2 * feedForward + attention + lightConv + d)
    const spec = loadModel('gemma-3n-e4b-it')
    expect(encoderParams(spec.encoders.find((e) => e.name === 'audio')!)).toBe(audio)
    expect(audio).toBe(681_348_640)
    const embedders = 128 * 1536 + 2 * 1536 + 1536 * 2048 + (128 * 2048 + 2 * 2048 + 2048 * 2048) // audio, vision
    expect(paramCounts(spec).encoderParams).toBe(audio + embedders)
    expect(spec.notes!.some((n) => n.includes('mobilenetv5'))).toBe(true)
  })
})
