// config.json from the Hugging Face Hub, with plain fetch: GET {endpoint}/{repo}/resolve/{revision}/config.json
// (the Hub's file-resolution route, as huggingface_hub's hf_hub_url builds it). HF_ENDPOINT points elsewhere
// (a mirror, or a test server); HF_TOKEN is sent for gated repositories.
import {UserError} from '../errors.js'
import {parseJsonText} from './config.js'

export interface HubOptions {
  endpoint?: string
  revision?: string
  token?: string
  timeoutMs?: number
}

export async function fetchHubConfig(repo: string, o: HubOptions = {}): Promise<unknown> {
  if (!/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(repo)) throw new UserError(`--hf "${repo}" is not a repository id; use the form org/name, e.g. Qwen/Qwen3-8B`)
  const endpoint = (o.endpoint ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '')
  const revision = o.revision ?? 'main'
  const url = `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/config.json`
  const token = o.token ?? process.env.HF_TOKEN
  let response: Response
  try {
    response = await fetch(url, {headers: token ? {authorization: `Bearer ${token}`} : {}, signal: AbortSignal.timeout(o.timeoutMs ?? 15_000)})
  } catch (error) {
    const cause = (error as Error & {cause?: {code?: string}}).cause?.code ?? (error as Error).name
    throw new UserError(`cannot reach ${endpoint} to fetch ${repo}/config.json (${cause}; offline?)`, 'download config.json yourself and run `archcost import config.json`')
  }
  if (response.status === 401 || response.status === 403)
    throw new UserError(`${repo}: the Hub refused access (HTTP ${response.status}); for a gated model accept its licence on the Hub and set HF_TOKEN`)
  if (response.status === 404) throw new UserError(`${repo}: no config.json at revision "${revision}" (HTTP 404); check the repository id`)
  if (!response.ok) throw new UserError(`${repo}: the Hub answered HTTP ${response.status} for config.json`)
  const text = await response.text()
  try {
    return parseJsonText(text)
  } catch {
    throw new UserError(`${repo}: the config.json the Hub sent is not valid JSON`)
  }
}
