// config.json from the Hugging Face Hub, with plain fetch: GET {endpoint}/{repo}/resolve/{revision}/config.json
// (the Hub's file-resolution route, as huggingface_hub's hf_hub_url builds it). HF_ENDPOINT points elsewhere
// (a mirror, or a test server); HF_TOKEN is sent for gated repositories.
import {UserError} from '../errors.js'
import {jsonDepth, maxJsonDepth, parseJsonText} from '../files.js'

export interface HubOptions {
  endpoint?: string
  revision?: string
  token?: string
  timeoutMs?: number
  /** Largest body accepted (default maxHubBodyBytes). */
  maxBytes?: number
}

/** A config.json is kilobytes; a body past this is not one (and reading it whole could exhaust memory). */
export const maxHubBodyBytes = 4 * 1024 * 1024
/**
 * The whole request (answer and body) must finish within this: a kilobyte file comes in well under a second, and a
 * stalled server should end the run promptly. HF_HUB_DOWNLOAD_TIMEOUT (seconds, as huggingface_hub reads it) sets another.
 */
export const defaultHubTimeoutMs = 4_000

export function hubTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.HF_HUB_DOWNLOAD_TIMEOUT
  if (text === undefined || text === '') return defaultHubTimeoutMs
  const seconds = Number(text)
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UserError(`HF_HUB_DOWNLOAD_TIMEOUT "${text}" is not a number of seconds between 0 and 3600`)
  return Math.round(seconds * 1000)
}

/** What went wrong with a request, in words: the system error code, a timeout, or the error's own name. */
export function networkCause(error: unknown, timeoutMs: number): string {
  const e = error as Error & {cause?: {code?: string; message?: string}; code?: string}
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete answer within ${timeoutMs / 1000} s (timeout; HF_HUB_DOWNLOAD_TIMEOUT sets another)`
  const code = e.cause?.code ?? e.code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (ECONNREFUSED)'
    case 'ENOTFOUND':
      return 'host not found (ENOTFOUND; offline, or a wrong HF_ENDPOINT?)'
    case 'EAI_AGAIN':
      return 'name lookup failed (EAI_AGAIN; offline?)'
    case 'ECONNRESET':
      return 'connection reset (ECONNRESET)'
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connection timed out (${code})`
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no answer in time (${code})`
    case 'UND_ERR_SOCKET':
      return 'the connection closed early (UND_ERR_SOCKET)'
    default:
      if (code) return code
      // fetch refuses some ports outright (the Fetch standard's "bad ports": 9, 22, 25, ...)
      if (/bad port/i.test(e.cause?.message ?? '')) return 'fetch refuses that port (bad port); serve the Hub on another'
      return e.cause?.message ?? e.message ?? e.name
  }
}

/** The body as text, refused past `maxBytes` (read chunk by chunk, never whole) and bounded by the request's timeout. */
async function boundedBody(response: Response, maxBytes: number, what: string): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw new UserError(`${what}: the answer is ${declared} bytes, larger than the ${maxBytes / 2 ** 20} MiB a config.json may have; is HF_ENDPOINT a Hub?`)
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const {done, value} = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new UserError(`${what}: the answer passed ${maxBytes / 2 ** 20} MiB, more than a config.json may have; is HF_ENDPOINT a Hub?`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export const fetchHubConfig = (repo: string, o: HubOptions = {}): Promise<unknown> => fetchHubJson(repo, 'config.json', o, false)

/**
 * hf_quant_config.json, where NVIDIA's ModelOpt checkpoints keep their quantization (vLLM reads it the same way,
 * model_loader/weight_utils.py get_quant_config); null when the repository has none (HTTP 404).
 */
export const fetchHubQuantConfig = (repo: string, o: HubOptions = {}): Promise<unknown> => fetchHubJson(repo, 'hf_quant_config.json', o, true)

/** One JSON file of a repository; `optional`: a 404 is null rather than an error. */
async function fetchHubJson(repo: string, file: string, o: HubOptions, optional: boolean): Promise<unknown> {
  if (!/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(repo)) throw new UserError(`--hf "${repo}" is not a repository id; use the form org/name, e.g. Qwen/Qwen3-8B`)
  const endpoint = (o.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '')
  const revision = o.revision ?? 'main'
  const url = `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file}`
  const token = o.token ?? process.env.HF_TOKEN
  const timeoutMs = o.timeoutMs ?? hubTimeoutMs()
  const unreachable = (error: unknown) =>
    new UserError(`cannot fetch ${repo}/${file} from ${endpoint}: ${networkCause(error, timeoutMs)}`, `download ${file} yourself and run \`archcost import config.json\``)
  // One deadline for the headers and the body: a server that stalls mid-body ends the same way as one that never answers.
  const signal = AbortSignal.timeout(timeoutMs)
  let response: Response
  try {
    response = await fetch(url, {headers: token ? {authorization: `Bearer ${token}`} : {}, signal})
  } catch (error) {
    throw unreachable(error)
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel().catch(() => undefined)
    throw new UserError(`${repo}: the Hub refused access (HTTP ${response.status}); for a gated model accept its licence on the Hub and set HF_TOKEN`)
  }
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined)
    if (optional) return null
    throw new UserError(`${repo}: no ${file} at revision "${revision}" (HTTP 404); check the repository id`)
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined)
    throw new UserError(`${repo}: the Hub answered HTTP ${response.status} for ${file}`)
  }
  let text: string
  try {
    text = await boundedBody(response, o.maxBytes ?? maxHubBodyBytes, `${repo}/${file}`)
  } catch (error) {
    if (error instanceof UserError) throw error
    throw unreachable(signal.aborted ? signal.reason : error)
  }
  if (jsonDepth(text) > maxJsonDepth) throw new UserError(`${repo}: the ${file} the Hub sent nests more than ${maxJsonDepth} deep; not a config`)
  try {
    return parseJsonText(text)
  } catch {
    throw new UserError(`${repo}: the ${file} the Hub sent is not valid JSON`)
  }
}
