// Training: model-state bytes (weights, gradients, master weights, optimizer states) sharded over the data-parallel
// group, LoRA adapters and the NF4 base of QLoRA, activations of one micro-batch per layer kind (Korthikanti et al.
// 2022, generalised to GQA, gated MLPs, MoE, MLA, flash attention and linear attention), the pipeline's in-flight
// micro-batches, and the time, GPU-hours, cost and energy of a run at a model-FLOPs utilisation.
import {tracedFormula as formula} from './formula.js'

// ZeRO (Rajbhandari et al. 2020, §3.1 and Figure 1): a state of P parameters at b bytes each, partitioned over Nd ranks
// when the stage shards it (stage 1: optimizer states and master weights; 2: also gradients; 3: also weights).
export const shardedStateBytes = formula({
  id: 'train.state.bytes',
  label: 'one model state (weights, gradients, master weights or optimizer states) on one device',
  expression: 'P * b / z',
  symbols: {P: 'parameters this device holds after tensor, pipeline and expert splits (params)', b: 'bytes per parameter of this state (bytes/element)', z: 'ranks the state is sharded over: the data-parallel group when the ZeRO stage shards it, else 1'},
  unit: 'bytes',
  integer: false,
  source: 'Rajbhandari et al. 2020 (ZeRO) §3.1, §5: P_os, P_os+g, P_os+g+p partition over N_d data-parallel ranks',
  evaluate: (v) => (v.P * v.b) / v.z,
})

// Adafactor's factored second moment: one row and one column accumulator per matrix instead of r x c (Shazeer & Stern 2018 §3).
export const adafactorFactoredElements = formula({
  id: 'train.adafactor.factoredElements',
  label: 'Adafactor second-moment accumulators of one r x c matrix (per expert for stacked experts)',
  expression: 'x * (r + c)',
  symbols: {x: 'stacked matrices (experts), 1 for a plain matrix', r: 'rows (elements)', c: 'columns (elements)'},
  unit: 'elements',
  integer: true,
  source: 'Shazeer & Stern 2018 (Adafactor) §3; transformers Adafactor exp_avg_sq_row / exp_avg_sq_col',
  evaluate: (v) => v.x * (v.r + v.c),
})

// LoRA (Hu et al. 2021 §4.1): W + B A with A (r x in) and B (out x r): r * (in + out) trainable parameters per matrix.
export const loraAdapterParams = formula({
  id: 'train.lora.adapterParams',
  label: 'LoRA adapter parameters of one target matrix (per expert for stacked experts)',
  expression: 'x * r * (nin + nout)',
  symbols: {x: 'stacked matrices (experts), 1 for a plain matrix', r: 'LoRA rank', nin: 'input width (elements)', nout: 'output width (elements)'},
  unit: 'params',
  integer: true,
  source: 'Hu et al. 2021 (LoRA) §4.1; peft LoraLayer.update_layer: lora_A Linear(in, r), lora_B Linear(r, out), no bias',
  evaluate: (v) => v.x * v.r * (v.nin + v.nout),
})

// QLoRA NF4 with double quantization (Dettmers et al. 2023 §3): 4-bit codes, an 8-bit absmax per block of 64, and an
// fp32 constant per 256 of those: 4 + 8/64 + 32/(64 * 256) = 4.127 bits per parameter.
export const nf4BitsPerParam = formula({
  id: 'train.qlora.nf4Bits',
  label: 'NF4 with double quantization, bits per parameter',
  expression: 'q + 8 / B1 + 32 / (B1 * B2)',
  symbols: {q: 'bits of each code (4)', B1: 'parameters per first-level block (64)', B2: 'first-level constants per second-level block (256)'},
  unit: 'bits',
  integer: false,
  source: 'Dettmers et al. 2023 (QLoRA) §3 Double Quantization: "from 32/64 = 0.5 bits, to 8/64 + 32/(64 * 256) = 0.127 bits"',
  evaluate: (v) => v.q + 8 / v.B1 + 32 / (v.B1 * v.B2),
})

// Korthikanti et al. 2022 §4.1 attention block (11sbh + 5as^2b) and its layer norm (2sbh), per token, with flash
// attention (no s^2 scores: Q, K, V, the output and the fp32 logsumexp are saved), GQA (K and V Hkv heads wide),
// QK-norm (q and k saved before the norm as well) and an output gate; h-wide tensors split over tp only with sequence parallelism.
export const attentionActivationBytes = formula({
  id: 'train.activations.attention',
  label: 'saved activations of one attention block per token (flash attention)',
  expression: 'p * (2 * h / sp + (H * d * (1 + n) + Hkv * (d * (1 + n) + dv) + H * dv * (1 + 2 * g)) / t) + 4 * f * H / t + D * h / sp',
  symbols: {
    p: 'bytes per activation element (2 for bf16)',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    H: 'query heads',
    d: 'query/key head width (elements)',
    n: '1 with QK-norm (q and k kept before and after it), else 0',
    Hkv: 'key/value heads',
    dv: 'value head width (elements)',
    g: '1 with a sigmoid output gate, else 0',
    f: '1 with flash attention (an fp32 logsumexp per head), 0 unfused',
    t: 'tensor-parallel ranks',
    D: '1 when dropout is on (a 1-byte mask after the block), else 0',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1 (attention 11sbh + 5as^2b, layer norm 2sbh); FlashAttention-2 backward saves q, k, v, out, softmax_lse',
  evaluate: (v) => v.p * ((2 * v.h) / v.sp + (v.H * v.d * (1 + v.n) + v.Hkv * (v.d * (1 + v.n) + v.dv) + v.H * v.dv * (1 + 2 * v.g)) / v.t) + (4 * v.f * v.H) / v.t + (v.D * v.h) / v.sp,
})

// The s^2 part of Korthikanti's attention without a fused kernel: the softmax output (2as^2b), and with dropout its
// mask and output (as^2b + 2as^2b); per token, S keys per query. Selective recomputation drops it.
export const attentionScoreActivationBytes = formula({
  id: 'train.activations.scores',
  label: 'saved attention scores of one layer per token, unfused attention',
  expression: 'H * S * (p + D * (1 + p)) / t',
  symbols: {H: 'query heads', S: 'sequence (tokens)', p: 'bytes per activation element', D: '1 when dropout is on, else 0', t: 'tensor-parallel ranks'},
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1: softmax 2as^2b, dropout mask as^2b, dropout output 2as^2b; §5 selective recomputation',
  evaluate: (v) => (v.H * v.S * (v.p + v.D * (1 + v.p))) / v.t,
})

// MLA per token, approximate: the query and KV latents before and after their norms (replicated over tp), and the
// expanded per-head q, k, v and output flash attention saves (the form training runs in).
export const mlaActivationBytes = formula({
  id: 'train.activations.mla',
  label: 'saved activations of one MLA attention block per token (expanded heads, flash attention; approximate)',
  expression: 'p * (2 * h / sp + 2 * qr + 2 * c + r + (2 * H * dqk + 2 * H * dv) / t) + 4 * f * H / t + D * h / sp',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    qr: 'query latent rank, 0 for a full-rank q_proj (elements)',
    c: 'KV latent rank (elements)',
    r: 'decoupled RoPE key width (elements)',
    H: 'heads',
    dqk: 'query/key head width, nope + rope (elements)',
    dv: 'value head width (elements)',
    f: '1 with flash attention (an fp32 logsumexp per head), 0 unfused',
    t: 'tensor-parallel ranks',
    D: '1 when dropout is on, else 0',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1 generalised to DeepSeek-V2 §2.1 MLA (q_a/kv_a latents, per-head q, k, v in the expanded form)',
  evaluate: (v) => v.p * ((2 * v.h) / v.sp + 2 * v.qr + 2 * v.c + v.r + (2 * v.H * v.dqk + 2 * v.H * v.dv) / v.t) + (4 * v.f * v.H) / v.t + (v.D * v.h) / v.sp,
})

// Linear attention per token, approximate: q, k, v before and after the short convolution, the gate, the mixer output
// and its gated norm, and the fp32 state chunked kernels keep at each chunk boundary (flash-linear-attention, chunk 64).
export const linearMixerActivationBytes = formula({
  id: 'train.activations.linear',
  label: 'saved activations of one linear-attention (or state-space) block per token (approximate)',
  expression: 'p * (2 * h / sp + (2 * (2 * Hk * dk + Hv * dv) + 3 * Hv * dv) / t) + 4 * Hv * dk * dv / (C * t)',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    Hk: 'key heads (B/C groups of a state-space mixer)',
    dk: 'key head width (state size)',
    Hv: 'value heads (channels of a state-space mixer)',
    dv: 'value head width (elements)',
    C: 'chunk length of the chunked kernel (64 tokens)',
    t: 'tensor-parallel ranks',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1 generalised; fla chunk_gated_delta_rule saves per-chunk states h (BT = 64); Yang et al. 2024 (Gated DeltaNet) chunkwise form',
  evaluate: (v) => v.p * ((2 * v.h) / v.sp + (2 * (2 * v.Hk * v.dk + v.Hv * v.dv) + 3 * v.Hv * v.dv) / v.t) + (4 * v.Hv * v.dk * v.dv) / (v.C * v.t),
})

// Korthikanti et al. 2022 §4.1 MLP block (19sbh with 4h width: input 2sbh, GeLU in and out 8sbh each, mask sbh) and
// its layer norm, per token: a plain MLP saves its input, the up output and the activation output (2I); a gated
// one (SwiGLU) saves gate and up outputs and their product (3I).
export const mlpActivationBytes = formula({
  id: 'train.activations.mlp',
  label: 'saved activations of one dense MLP block per token',
  expression: 'p * (2 * h / sp + (2 + G) * I / t) + D * h / sp',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    G: '1 for a gated MLP (gate, up and their product), 0 for a plain one',
    I: 'intermediate width (elements)',
    t: 'tensor-parallel ranks',
    D: '1 when dropout is on, else 0',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1 (MLP 19sbh, layer norm 2sbh); LlamaMLP down_proj(act_fn(gate_proj(x)) * up_proj(x))',
  evaluate: (v) => v.p * ((2 * v.h) / v.sp + ((2 + v.G) * v.I) / v.t) + (v.D * v.h) / v.sp,
})

// MoE block per token, dropless: the router's fp32 logits, and for each of the k experts a token copy in, its
// intermediates and its output (the routing weight's gradient needs it), plus the shared experts.
export const moeActivationBytes = formula({
  id: 'train.activations.moe',
  label: 'saved activations of one MoE block per token (dropless routing)',
  expression: 'p * (2 * h / sp + k * (2 * w + (2 + G) * Ie) / t + (2 + G) * Is / t) + 4 * E / sp + D * h / sp',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    k: 'experts per token',
    w: 'width the experts read and write: hidden size, or the latent of a latent MoE (elements)',
    G: '1 for gated experts, else 0',
    Ie: 'expert intermediate width (elements)',
    Is: 'shared-expert intermediate width, all shared experts together (elements)',
    t: 'tensor-parallel ranks (tokens split before dispatch with sequence parallelism; experts split without expert parallelism)',
    E: 'routed experts (fp32 router logits)',
    D: '1 when dropout is on, else 0',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.1 generalised to top-k routing; Megatron-Core MoE dropless token dispatcher (permuted inputs, expert outputs before unpermute)',
  evaluate: (v) => v.p * ((2 * v.h) / v.sp + (v.k * (2 * v.w + (2 + v.G) * v.Ie)) / v.t + ((2 + v.G) * v.Is) / v.t) + (4 * v.E) / v.sp + (v.D * v.h) / v.sp,
})

// Korthikanti et al. 2022 §4.3: the output layer's input and the logits of the cross-entropy, at the loss's peak.
// Megatron's vocab-parallel cross-entropy keeps the 16-bit logits and one fp32 copy it turns into the softmax and
// then the gradient in place (Korthikanti's 4sbv); PyTorch's F.cross_entropy on upcast logits holds three fp32
// tensors at its backward (the saved log-softmax output, its incoming gradient, the gradient it returns) after the
// 16-bit logits are freed; chunked and fused losses hold one chunk's fp32 tensors (and a fused one one chunk's
// 16-bit logits). b and c: shares of the micro-batch's tokens whose 16-bit and fp32 logits live at once.
export const headActivationBytes = formula({
  id: 'train.activations.head',
  label: 'saved activations of the final norm, LM head and loss per token, at the loss peak',
  expression: 'p * 2 * h / sp + (p * b + f * c) * V / t',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    b: "share of the micro-batch's tokens whose 16-bit logits are held at the peak: 1, 0 when freed before the backward, 1 / chunks for a fused linear cross-entropy",
    f: 'fp32 bytes per logit at the peak: 4 for an in-place softmax (Megatron), 12 for F.cross_entropy (log-softmax output, its gradient in and out)',
    c: "share of the micro-batch's tokens whose fp32 logits are held at once: 1, or 1 / chunks for a chunked or fused loss",
    V: 'vocabulary (elements)',
    t: 'tensor-parallel ranks (vocabulary-parallel loss)',
  },
  unit: 'bytes',
  integer: false,
  source:
    'Korthikanti et al. 2022 §4.3 output layer (layer norm, projection input, fp32 cross-entropy 4sbv); Megatron-LM tensor_parallel/cross_entropy.py _VocabParallelCrossEntropy; PyTorch log_softmax_backward_data; torchtune CEWithChunkedOutputLoss and LinearCrossEntropyLoss (num_output_chunks = 8)',
  evaluate: (v) => (v.p * 2 * v.h) / v.sp + ((v.p * v.b + v.f * v.c) * v.V) / v.t,
})

// Korthikanti et al. 2022 §4.2.3: with 1F1B the first stage holds the activations of pp micro-batches (fewer when the
// step has fewer); interleaving v model chunks per stage multiplies that by 1 + (pp - 1) / (pp * v).
export const inFlightMicroBatches = formula({
  id: 'train.pipeline.inFlight',
  label: 'micro-batches whose activations the first pipeline stage holds',
  expression: 'min(pp, m) * (1 + (pp - 1) / (pp * v) * il)',
  symbols: {pp: 'pipeline stages', m: 'micro-batches per step and replica', v: 'model chunks per stage (interleaved schedule)', il: '1 for the interleaved schedule, 0 for 1F1B'},
  unit: 'micro-batches',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.2.3 (1F1B: p micro-batches in flight; interleaved: L(1 + (p-1)/(pv)))',
  evaluate: (v) => Math.min(v.pp, v.m) * (1 + ((v.pp - 1) / (v.pp * v.v)) * v.il),
})

// torchtitan's selective op checkpointing on a dense GQA layer (parallelize_llama.py _apply_ac_to_transformer_block,
// selective_ac_option 'op'): the checkpoint keeps the layer input, and inside the layer the outputs of the ops in
// _save_list but every second mm: of wq, wk, wv, wo, w1, w3, w2 (model.py call order) the 1st, 3rd, 5th and 7th
// (q, v, w1, and w2's partial sums, h wide on every rank), the flash attention output and its fp32 logsumexp, and
// with tensor parallelism the two reduce_scatter outputs; everything else is recomputed.
export const opCheckpointActivationBytes = formula({
  id: 'train.activations.opCheckpoint',
  label: 'saved activations of one dense GQA layer per token under selective op checkpointing (torchtitan)',
  expression: 'p * (h / sp + (H * d + Hkv * dv + H * dv + I) / t + h + 2 * T * h / sp) + 4 * H / t',
  symbols: {
    p: 'bytes per activation element',
    h: 'hidden size (elements)',
    sp: 'tensor-parallel ranks with sequence parallelism, else 1',
    H: 'query heads',
    d: 'query head width (elements)',
    Hkv: 'key/value heads',
    dv: 'value head width (elements)',
    I: 'intermediate width of the MLP (elements)',
    t: 'tensor-parallel ranks',
    T: '1 with tensor parallelism (reduce_scatter outputs saved), else 0',
  },
  unit: 'bytes',
  integer: false,
  source: 'torchtitan torchtitan/parallelisms/parallelize_llama.py _save_list and _custom_policy ("Saves output of all compute ops, except every second mm"); models/llama/model.py Attention and FeedForward forward',
  evaluate: (v) => v.p * (v.h / v.sp + (v.H * v.d + v.Hkv * v.dv + v.H * v.dv + v.I) / v.t + v.h + (2 * v.T * v.h) / v.sp) + (4 * v.H) / v.t,
})

// Korthikanti et al. 2022 Table 2, full recomputation: each layer keeps only its input, 2sbh (split over tp with sequence parallelism).
export const checkpointActivationBytes = formula({
  id: 'train.activations.checkpoint',
  label: 'saved layer input per token and layer under full recomputation',
  expression: 'p * h / sp',
  symbols: {p: 'bytes per activation element', h: 'hidden size (elements)', sp: 'tensor-parallel ranks with sequence parallelism, else 1'},
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 Table 2 (full recompute: 2sbhL)',
  evaluate: (v) => (v.p * v.h) / v.sp,
})

// Model FLOPs per second a device delivers at a utilisation (Chowdhery et al. 2022 Appendix B, MFU), over the
// training FLOPs per token: tokens per second per device.
export const trainTokensPerSecondPerDevice = formula({
  id: 'train.tokensPerSecondPerDevice',
  label: 'training tokens per second per device',
  expression: 'peak * u / f',
  symbols: {peak: 'dense peak FLOP/s of the device in the training precision (FLOP)', u: 'model-FLOPs utilisation (MFU)', f: 'training FLOPs per token, 3 x forward (FLOP)'},
  unit: 'tokens/s',
  integer: false,
  source: 'Chowdhery et al. 2022 (PaLM) Appendix B: MFU = observed tokens/s x model FLOPs per token / peak FLOP/s',
  evaluate: (v) => (v.peak * v.u) / v.f,
})

export const trainWallClockSeconds = formula({
  id: 'train.wallClockSeconds',
  label: 'wall-clock time of the run',
  expression: 'C / (D * peak * u)',
  symbols: {C: 'training FLOPs of the run, model FLOPs (FLOP)', D: 'devices', peak: 'dense peak FLOP/s per device (FLOP)', u: 'model-FLOPs utilisation'},
  unit: 's',
  integer: false,
  source: 'Chowdhery et al. 2022 (PaLM) Appendix B (MFU); Narayanan et al. 2021 §5.1 end-to-end training time',
  evaluate: (v) => v.C / (v.D * v.peak * v.u),
})

export const trainGpuHours = formula({
  id: 'train.gpuHours',
  label: 'device-hours of the run',
  expression: 'D * T / 3600',
  symbols: {D: 'devices', T: 'wall-clock time (s)'},
  unit: 'h',
  integer: false,
  source: 'GPU-hours as the Llama 3.1 model card states them (devices x hours)',
  evaluate: (v) => (v.D * v.T) / 3600,
})

export const trainCostUsd = formula({
  id: 'train.costUsd',
  label: 'cost of the run at an hourly device price',
  expression: 'gh * price',
  symbols: {gh: 'device-hours (h)', price: 'price of one device per hour (USD)'},
  unit: 'USD',
  integer: false,
  source: 'device-hours x on-demand price (hardware profile pricePerHourUsd)',
  evaluate: (v) => v.gh * v.price,
})

export const trainEnergyJoules = formula({
  id: 'train.energyJoules',
  label: 'energy of the devices over the run at board power',
  expression: 'D * W * T',
  symbols: {D: 'devices', W: 'board power of one device (watts, J/s)', T: 'wall-clock time (s)'},
  unit: 'J',
  integer: false,
  source: 'board power (hardware profile powerWatts, its maximum) x devices x time; Llama 3.1 model card estimates emissions the same way (TDP x hours)',
  evaluate: (v) => v.D * v.W * v.T,
})

// Hoffmann et al. 2022 (Chinchilla) §3: compute-optimal training uses about 20 tokens per parameter.
export const chinchillaTokens = formula({
  id: 'train.chinchillaTokens',
  label: 'compute-optimal tokens for a parameter count (Chinchilla)',
  expression: 'r * N',
  symbols: {r: 'tokens per parameter (20)', N: 'parameters (params)'},
  unit: 'tokens',
  integer: false,
  source: 'Hoffmann et al. 2022 (Chinchilla) §3, Table 3: about 20 tokens per parameter',
  evaluate: (v) => v.r * v.N,
})

// LoRA's weights on a device: the frozen base (16-bit, or bitsandbytes NF4/int8 on the layers' linear modules), sharded
// only under ZeRO-3/FSDP, plus the adapters' own weights.
export const loraWeightBytes = formula({
  id: 'train.lora.weights',
  label: 'weights of LoRA fine-tuning on one device: the frozen base and the adapters',
  expression: 'B / z + Wa',
  symbols: {
    B: "frozen base on this device: each tensor's elements x its bytes per parameter (NF4 with double quantization 4.127 bits, int8 with an fp32 scale per row, else 16-bit), split like the layers over tp x pp (bytes)",
    z: 'ranks the base is sharded over: the data-parallel group under ZeRO-3/FSDP, else 1',
    Wa: 'the adapters\' fp32 weights (bytes)',
  },
  unit: 'bytes',
  integer: false,
  source: 'Dettmers et al. 2023 (QLoRA) §3; bitsandbytes Linear4bit/Linear8bitLt replace nn.Linear only; peft keeps adapters in fp32',
  evaluate: (v) => v.B / v.z + v.Wa,
})

// Korthikanti et al. 2022 §4.2.3 (1F1B): the first stage holds its L / pp layers' activations for the micro-batches in
// flight; per layer, all of them, or under full recomputation only each layer's input (§5, "checkpointing").
export const stageActivationBytes = formula({
  id: 'train.activations.stage',
  label: 'saved activations of the first pipeline stage\'s layers',
  expression: 'A * k / pp * T',
  symbols: {
    A: 'saved bytes per token of all layers: the sum over layer kinds of count x per layer (plus the LoRA rank activations); under full recomputation layers x the checkpointed input (bytes)',
    k: 'micro-batches in flight on the first stage',
    pp: 'pipeline stages',
    T: 'tokens per micro-batch: sequence x sequences (tokens)',
  },
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §4.2.3 (the first stage stores pp micro-batches of L/pp layers under 1F1B), §5 (full recomputation keeps layer inputs)',
  evaluate: (v) => ((v.A * v.k) / v.pp) * v.T,
})

// Megatron's peak: the stage's saved activations, one layer rebuilt during its backward under full recomputation, and
// the LM head's input and logits where the head sits on this stage.
export const activationTotalBytes = formula({
  id: 'train.activations.total',
  label: 'activation bytes on the fullest device',
  expression: 'Ls + R + Hd',
  symbols: {Ls: 'the first stage\'s saved layer activations (bytes)', R: 'one layer\'s activations rebuilt under full recomputation, else 0 (bytes)', Hd: 'LM head input and logits without pipeline stages, else 0 (bytes)'},
  unit: 'bytes',
  integer: false,
  source: 'Korthikanti et al. 2022 §5 (recomputation rebuilds one layer at a time); Megatron-LM output_layer and cross-entropy on the last stage',
  evaluate: (v) => v.Ls + v.R + v.Hd,
})

// ZeRO's model states plus the residual states (activations, buffers): what one device holds at its peak.
export const trainMemoryTotalBytes = formula({
  id: 'train.memory.total',
  label: 'memory of the fullest device in training',
  expression: 'W + G + M + O + Gw + A + F',
  symbols: {W: 'weights (bytes)', G: 'gradients (bytes)', M: 'fp32 master weights (bytes)', O: 'optimizer states (bytes)', Gw: 'layers gathered whole under ZeRO-3/FSDP (bytes)', A: 'activations (bytes)', F: 'CUDA context, NCCL buffers and allocator reserve (bytes)'},
  unit: 'bytes',
  integer: false,
  source: 'Rajbhandari et al. 2020 (ZeRO) §3: model states (parameters, gradients, optimizer states) and residual states (activations, buffers)',
  evaluate: (v) => v.W + v.G + v.M + v.O + v.Gw + v.A + v.F,
})

export const trainingFormulas = [
  shardedStateBytes,
  adafactorFactoredElements,
  loraAdapterParams,
  nf4BitsPerParam,
  loraWeightBytes,
  attentionActivationBytes,
  attentionScoreActivationBytes,
  mlaActivationBytes,
  linearMixerActivationBytes,
  mlpActivationBytes,
  moeActivationBytes,
  headActivationBytes,
  inFlightMicroBatches,
  checkpointActivationBytes,
  opCheckpointActivationBytes,
  stageActivationBytes,
  activationTotalBytes,
  trainMemoryTotalBytes,
  trainTokensPerSecondPerDevice,
  trainWallClockSeconds,
  trainGpuHours,
  trainCostUsd,
  trainEnergyJoules,
  chinchillaTokens,
] as const
