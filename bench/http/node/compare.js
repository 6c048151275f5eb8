// Checks that two servers answer the benchmark's read routes with the same
// JSON before anything is timed. Objects compare regardless of key order.
// Order is compared only where the contract fixes it: blogs by likes
// descending then id; authors by likes descending (ties may come in any
// order); a user's readings in any order. Timestamps compare as instants,
// and a difference in their spelling is reported as a note.
//
//   node compare.js http://127.0.0.1:A http://127.0.0.1:B /api/blogs?search=x /api/users/2 /api/authors
const [, , baseA, baseB, ...paths] = process.argv

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/
const notes = new Set()

const canon = (v) => {
  if (Array.isArray(v)) return v.map(canon)
  if (v && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v).sort()) o[k] = canon(v[k])
    return o
  }
  if (typeof v === 'string' && ISO.test(v)) return { instant: Date.parse(v) }
  return v
}

const sortedBy = (arr, key) => [...arr].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0))

const shape = (path, body) => {
  if (path.startsWith('/api/users/') && body && Array.isArray(body.readings)) {
    return { ...body, readings: sortedBy(body.readings, (r) => r.id) }
  }
  if (path.startsWith('/api/authors') && Array.isArray(body)) {
    for (let i = 1; i < body.length; i++) {
      if (Number(body[i].likes) > Number(body[i - 1].likes)) {
        throw new Error(`${path}: not ordered by likes descending at index ${i}`)
      }
    }
    return sortedBy(body, (a) => `${String(1e12 - Number(a.likes)).padStart(14, '0')} ${a.author}`)
  }
  return body
}

const tsSpellings = (v, out = []) => {
  if (Array.isArray(v)) v.forEach((x) => tsSpellings(x, out))
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => tsSpellings(x, out))
  else if (typeof v === 'string' && ISO.test(v)) out.push(v)
  return out
}

// first difference, as a path and the two values
const diff = (a, b, at = '$') => {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) return `${at}: length ${a.length} vs ${b.length}`
    for (let i = 0; i < a.length; i++) {
      const d = diff(a[i], b[i], `${at}[${i}]`)
      if (d) return d
    }
    return null
  }
  if (a && typeof a === 'object') {
    const ka = Object.keys(a).join(',')
    const kb = Object.keys(b).join(',')
    if (ka !== kb) return `${at}: keys {${ka}} vs {${kb}}`
    for (const k of Object.keys(a)) {
      const d = diff(a[k], b[k], `${at}.${k}`)
      if (d) return d
    }
    return null
  }
  return a === b ? null : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`
}

const get = async (base, path) => {
  const res = await fetch(base + path)
  const text = await res.text()
  if (res.status !== 200) throw new Error(`${base}${path}: status ${res.status}: ${text.slice(0, 200)}`)
  return JSON.parse(text)
}

const main = async () => {
  let failed = false
  for (const path of paths) {
    const [a, b] = await Promise.all([get(baseA, path), get(baseB, path)])
    const sa = tsSpellings(a)
    const sb = tsSpellings(b)
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
      if (sa[i] !== sb[i]) {
        notes.add(`${path}: timestamps spelled differently, e.g. ${sa[i]} vs ${sb[i]} (same instant: ${Date.parse(sa[i]) === Date.parse(sb[i])})`)
        break
      }
    }
    const d = diff(canon(shape(path, a)), canon(shape(path, b)))
    const size = Array.isArray(a) ? `${a.length} items` : a && a.readings ? `${a.readings.length} readings` : ''
    if (d) {
      failed = true
      console.log(`DIFFER ${path}: ${d}`)
    } else {
      console.log(`same   ${path} (${size})`)
    }
  }
  for (const n of notes) console.log(`note   ${n}`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.error(e.message || e)
  process.exit(2)
})
