import { formatCount, formatMs, formatNumber, formatPaise, formatPercent, type Lang } from './format.js';
import type { ReportModel } from './model.js';

/**
 * Every word of the report, in English and Hindi. The Hindi is written for a planner reading it, not
 * translated word by word; both dictionaries share one type, so a missing Hindi string fails to compile.
 */
const en = {
  'doc.title': 'Capacity report',
  'doc.subtitle': 'Load test of {scenario} against {target}',
  'doc.generated': 'Generated {at}',
  'section.verdict': 'Verdict',
  'section.keyFigures': 'The numbers that matter',
  'section.charts': 'What happened during the test',
  'section.endpoints': 'Each endpoint',
  'section.thresholds': 'Pass/fail criteria',
  'section.method': 'Method and assumptions',
  'section.profile': 'Traffic model parameters and their sources',
  'section.run': 'Run and load generator',
  'section.compression': 'Time compression',
  'chart.load': 'Offered and achieved load',
  'chart.latency': 'Response time over time (each point: percentiles of the last {s} s)',
  'chart.errors': 'Failed requests by kind',
  'chart.usl': 'Throughput against concurrency (Universal Scalability Law)',
  'chart.server': 'Portal internals: queue, event-loop lag, CPU',
  'chart.metrics': 'Server metrics you named (--metrics-series)',
  'axis.value': 'value',
  'series.metric.rate': '{raw} per second',
  'series.metric.p95': 'p95 of {raw}',
  'series.metric.gauge': '{raw}',
  'chart.money': 'Money held, captured, released and refunded',
  'chart.shadeNote': 'Grey bands: seconds where the load generator itself fell behind; their figures say nothing about the portal.',
  'chart.noData': 'No data for this chart in this run.',
  'axis.iterationsPerSecond': 'user journeys started per second',
  'axis.requestsPerSecond': 'requests per second',
  'axis.simulatedTime': 'simulated time of day',
  'axis.runTime': 'time since start (min:s)',
  'axis.ms': 'milliseconds',
  'axis.failedPerSecond': 'failed requests per second',
  'axis.throughput': 'successful requests per second',
  'axis.concurrency': 'requests in flight (Little’s law)',
  'axis.queue': 'orders waiting in queue',
  'axis.msOrPercent': 'lag (ms) / CPU (%)',
  'axis.rupees': 'rupees',
  'axis.stuckDebits': 'debits stuck past the refund limit',
  'series.planned': 'planned (offered)',
  'series.started': 'started (achieved)',
  'series.iterations': 'journeys completed',
  'series.okRps': 'successful requests/s',
  'series.failedRps': 'failed requests/s',
  'series.p50': 'median (p50)',
  'series.p95': 'p95',
  'series.p99': 'p99',
  'series.endpointP95': 'p95 {raw}',
  'series.measured': 'measured load levels',
  'series.measuredSaturated': 'levels where the generator fell behind (not used)',
  'series.uslFit': 'USL fit',
  'series.knee': 'knee',
  'series.queueDepth': 'order queue depth',
  'series.serverLag': 'event-loop lag (ms)',
  'series.serverCpu': 'CPU (% of a core)',
  'series.held': 'held (₹)',
  'series.captured': 'captured (₹)',
  'series.refunded': 'refunded (₹)',
  'series.released': 'released back to wallets (₹)',
  'series.waitingRoom': 'people in the waiting room',
  'series.stuck': 'stuck debits',
  'errorKind.network': 'no answer (timeout, connection refused)',
  'errorKind.429': '429 too many requests',
  'errorKind.503': '503 unavailable',
  'errorKind.5xx': 'other server errors (5xx)',
  'errorKind.4xx': 'refused (4xx)',
  'errorKind.other': 'other',
  'table.endpoint': 'Endpoint',
  'table.requests': 'Requests',
  'table.rps': 'Per second',
  'table.errors': 'Errors',
  'table.p50': 'p50',
  'table.p95': 'p95',
  'table.p99': 'p99',
  'table.max': 'Slowest',
  'table.slo': 'Within target',
  'table.yes': 'yes',
  'table.no': 'no',
  'table.parameter': 'Parameter',
  'table.value': 'Value',
  'table.source': 'Source',
  'table.check': 'Criterion',
  'table.threshold': 'Limit',
  'table.result': 'Result',
  'table.pass': 'pass',
  'table.fail': 'FAIL',
  'table.none': 'This run recorded no traffic model.',
  'method.runId': 'Run id', 'method.command': 'Command', 'method.scenario': 'Scenario', 'method.target': 'Target',
  'method.portalMode': 'Portal mode', 'method.started': 'Started', 'method.duration': 'Duration (s)',
  'method.engine': 'Engine', 'method.workers': 'Worker threads', 'method.segment': 'Segment', 'method.gitCommit': 'Git commit',
  'method.seed': 'Data seed', 'method.dropped': 'Journeys dropped (no free virtual user)', 'method.scheduleLag': 'Schedule lag p99 (ms)',
  'method.loopLag': 'Generator event-loop lag p99 (ms)', 'method.cpuMax': 'Generator CPU max (% of a core)',
  'method.saturated': 'Seconds the generator fell behind',
  'method.sloNote': 'Target used for "within target": 95% of requests answered within {p95}, under {err} of requests failing.',
  'compression.scaled': 'One real second of the test stood for {scale} seconds of the launch day, starting at {start}. Arrival rates were scaled to match.',
  'compression.none': 'The test ran in real time (no compression).',
  'compression.planned': 'Planned length: {s} seconds.',
  'foot.offline': 'This file is self-contained: it opens without a network and prints to PDF.',
} as const;

export type StringKey = keyof typeof en;
export type Strings = Record<StringKey, string>;

const hi: Strings = {
  'doc.title': 'क्षमता रिपोर्ट',
  'doc.subtitle': '{target} पर {scenario} का लोड परीक्षण',
  'doc.generated': 'तैयार: {at}',
  'section.verdict': 'निष्कर्ष',
  'section.keyFigures': 'मुख्य आँकड़े',
  'section.charts': 'परीक्षण के दौरान क्या हुआ',
  'section.endpoints': 'हर एंडपॉइंट का हाल',
  'section.thresholds': 'पास/फ़ेल की शर्तें',
  'section.method': 'तरीका और मान्यताएँ',
  'section.profile': 'ट्रैफ़िक मॉडल के मान और उनके स्रोत',
  'section.run': 'परीक्षण और लोड जनरेटर',
  'section.compression': 'समय का संक्षेपण',
  'chart.load': 'भेजा गया और संभाला गया लोड',
  'chart.latency': 'समय के साथ जवाब मिलने में लगा समय (हर बिंदु: पिछले {s} सेकंड के पर्सेंटाइल)',
  'chart.errors': 'विफल अनुरोध, कारण के अनुसार',
  'chart.usl': 'एक साथ चल रहे अनुरोध बनाम थ्रूपुट (यूनिवर्सल स्केलेबिलिटी लॉ)',
  'chart.server': 'पोर्टल के भीतर: कतार, इवेंट-लूप देरी, CPU',
  'chart.metrics': 'आपके चुने सर्वर मेट्रिक (--metrics-series)',
  'axis.value': 'मान',
  'series.metric.rate': '{raw} प्रति सेकंड',
  'series.metric.p95': '{raw} का p95',
  'series.metric.gauge': '{raw}',
  'chart.money': 'रोकी गई, काटी गई, वापस छोड़ी गई और लौटाई गई राशि',
  'chart.shadeNote': 'धूसर पट्टियाँ: वे सेकंड जिनमें लोड जनरेटर खुद पिछड़ गया था; उन सेकंडों के आँकड़े पोर्टल के बारे में कुछ नहीं बताते।',
  'chart.noData': 'इस परीक्षण में इस चार्ट के लिए आँकड़े नहीं हैं।',
  'axis.iterationsPerSecond': 'प्रति सेकंड शुरू हुई उपयोगकर्ता यात्राएँ',
  'axis.requestsPerSecond': 'प्रति सेकंड अनुरोध',
  'axis.simulatedTime': 'दिन का अनुकरणित समय',
  'axis.runTime': 'शुरुआत से समय (मिनट:सेकंड)',
  'axis.ms': 'मिलीसेकंड',
  'axis.failedPerSecond': 'प्रति सेकंड विफल अनुरोध',
  'axis.throughput': 'प्रति सेकंड सफल अनुरोध',
  'axis.concurrency': 'एक साथ चल रहे अनुरोध (लिटिल का नियम)',
  'axis.queue': 'कतार में प्रतीक्षारत ऑर्डर',
  'axis.msOrPercent': 'देरी (मिलीसेकंड) / CPU (%)',
  'axis.rupees': 'रुपये',
  'axis.stuckDebits': 'रिफ़ंड की समय-सीमा पार कर चुकी कटौतियाँ',
  'series.planned': 'नियोजित (भेजा गया)',
  'series.started': 'शुरू हुआ (संभाला गया)',
  'series.iterations': 'पूरी हुई यात्राएँ',
  'series.okRps': 'सफल अनुरोध/सेकंड',
  'series.failedRps': 'विफल अनुरोध/सेकंड',
  'series.p50': 'माध्यिका (p50)',
  'series.p95': 'p95',
  'series.p99': 'p99',
  'series.endpointP95': 'p95 {raw}',
  'series.measured': 'मापे गए लोड स्तर',
  'series.measuredSaturated': 'जनरेटर के पिछड़ने वाले स्तर (गणना में शामिल नहीं)',
  'series.uslFit': 'USL वक्र',
  'series.knee': 'मोड़ (नी)',
  'series.queueDepth': 'ऑर्डर कतार की लंबाई',
  'series.serverLag': 'इवेंट-लूप देरी (मिलीसेकंड)',
  'series.serverCpu': 'CPU (एक कोर का %)',
  'series.held': 'रोकी गई राशि (₹)',
  'series.captured': 'काटी गई राशि (₹)',
  'series.refunded': 'लौटाई गई राशि (₹)',
  'series.released': 'वॉलेट में वापस छोड़ी गई राशि (₹)',
  'series.waitingRoom': 'प्रतीक्षा कक्ष में लोग',
  'series.stuck': 'अटकी कटौतियाँ',
  'errorKind.network': 'कोई जवाब नहीं (टाइमआउट, कनेक्शन अस्वीकृत)',
  'errorKind.429': '429 बहुत अधिक अनुरोध',
  'errorKind.503': '503 सेवा उपलब्ध नहीं',
  'errorKind.5xx': 'अन्य सर्वर त्रुटियाँ (5xx)',
  'errorKind.4xx': 'अस्वीकृत (4xx)',
  'errorKind.other': 'अन्य',
  'table.endpoint': 'एंडपॉइंट',
  'table.requests': 'अनुरोध',
  'table.rps': 'प्रति सेकंड',
  'table.errors': 'त्रुटियाँ',
  'table.p50': 'p50',
  'table.p95': 'p95',
  'table.p99': 'p99',
  'table.max': 'सबसे धीमा',
  'table.slo': 'लक्ष्य के भीतर',
  'table.yes': 'हाँ',
  'table.no': 'नहीं',
  'table.parameter': 'मान का नाम',
  'table.value': 'मान',
  'table.source': 'स्रोत',
  'table.check': 'शर्त',
  'table.threshold': 'सीमा',
  'table.result': 'परिणाम',
  'table.pass': 'पास',
  'table.fail': 'फ़ेल',
  'table.none': 'इस परीक्षण में कोई ट्रैफ़िक मॉडल दर्ज नहीं हुआ।',
  'method.runId': 'परीक्षण आईडी', 'method.command': 'कमांड', 'method.scenario': 'परिदृश्य', 'method.target': 'लक्ष्य सर्वर',
  'method.portalMode': 'पोर्टल मोड', 'method.started': 'शुरुआत', 'method.duration': 'अवधि (सेकंड)',
  'method.engine': 'इंजन', 'method.workers': 'वर्कर थ्रेड', 'method.segment': 'खंड', 'method.gitCommit': 'Git कमिट',
  'method.seed': 'डेटा सीड', 'method.dropped': 'छोड़ी गई यात्राएँ (कोई वर्चुअल उपयोगकर्ता खाली नहीं)', 'method.scheduleLag': 'समय-सारणी देरी p99 (मिलीसेकंड)',
  'method.loopLag': 'जनरेटर इवेंट-लूप देरी p99 (मिलीसेकंड)', 'method.cpuMax': 'जनरेटर CPU अधिकतम (एक कोर का %)',
  'method.saturated': 'जनरेटर जितने सेकंड पिछड़ा',
  'method.sloNote': '"लक्ष्य के भीतर" का अर्थ: 95% अनुरोधों का जवाब {p95} के भीतर, और {err} से कम अनुरोध विफल।',
  'compression.scaled': 'परीक्षण का एक असली सेकंड लॉन्च के दिन के {scale} सेकंड के बराबर था, शुरुआत {start} से। आगमन दरें उसी अनुपात में बढ़ाई गईं।',
  'compression.none': 'परीक्षण वास्तविक समय में चला (कोई संक्षेपण नहीं)।',
  'compression.planned': 'नियोजित अवधि: {s} सेकंड।',
  'foot.offline': 'यह फ़ाइल अपने आप में पूरी है: बिना नेटवर्क के खुलती है और PDF में छप सकती है।',
};

export const STRINGS: Record<Lang, Strings> = { en, hi };

export function t(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const s = (STRINGS[lang] as Record<string, string>)[key];
  if (s === undefined) throw new Error(`missing ${lang} string: ${key}`);
  return s.replace(/\{(\w+)\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{${k}}`));
}

/** The verdict in plain sentences, for someone who has never seen a latency chart. */
export function verdictSentences(m: ReportModel, lang: Lang): Array<{ tone: 'good' | 'bad' | 'warn' | 'info'; text: string }> {
  const v = m.verdict;
  const rps = (x: number) => formatNumber(x, x < 10 ? 1 : 0);
  const ms = (x: number) => formatMs(x, lang);
  const hiL = lang === 'hi';
  // A time of day on the simulated launch clock, or minutes:seconds into the test.
  const when = (label: string) => m.simulatedTime
    ? (hiL ? `अनुकरणित समय ${label}` : `${label} on the simulated clock`)
    : (hiL ? `परीक्षण के ${label} मिनट पर` : `${label} into the test`);
  const out: Array<{ tone: 'good' | 'bad' | 'warn' | 'info'; text: string }> = [];
  if (v.aborted) out.push({ tone: 'bad', text: hiL ? 'परीक्षण बीच में रुक गया था; नीचे के आँकड़े अधूरे परीक्षण के हैं।' : 'The test was stopped before its end; the figures below describe an incomplete run.' });
  else if (v.unfinished) out.push({ tone: 'bad', text: hiL
    ? 'परीक्षण चलाने वाली प्रक्रिया परीक्षण पूरा होने से पहले ही बंद हो गई (रोकी गई या क्रैश हुई); नीचे के आँकड़े केवल उन सेकंडों के हैं जो डिस्क पर लिखे जा सके।'
    : 'The process running the test ended before the test did (it was killed or crashed); the figures below describe only the seconds it wrote to disk.' });

  // 1. How many instances.
  if (v.instancesForPeak !== null && v.peakDemandRps !== null) {
    const head = v.headroom !== null ? formatPercent(v.headroom) : null;
    out.push({ tone: 'info', text: hiL
      ? `लॉन्च के सबसे व्यस्त समय (लगभग ${rps(v.peakDemandRps)} अनुरोध प्रति सेकंड) के लिए इस बिल्ड के ${formatNumber(v.instancesForPeak)} इंस्टेंस चाहिए${head ? ` (${head} अतिरिक्त गुंजाइश सहित)` : ''}।`
      : `The launch peak (about ${rps(v.peakDemandRps)} requests per second) needs ${formatNumber(v.instancesForPeak)} instance${v.instancesForPeak === 1 ? '' : 's'} of this build${head ? `, including ${head} headroom` : ''}.` });
  } else if (v.peakDemandRps === null) {
    out.push({ tone: 'warn', text: hiL
      ? 'इस परीक्षण से इंस्टेंस की संख्या तय नहीं की जा सकती: लॉन्च के दिन की अपेक्षित चरम माँग दर्ज नहीं है (launch-day ट्रैफ़िक मॉडल से चलाएँ)।'
      : 'This run cannot size the fleet: the launch day’s expected peak demand was not recorded (run it from the launch-day traffic model).' });
  } else {
    out.push({ tone: 'warn', text: hiL
      ? `लॉन्च की चरम माँग लगभग ${rps(v.peakDemandRps)} अनुरोध प्रति सेकंड है, पर इस परीक्षण के आँकड़ों से इंस्टेंस की संख्या का विश्लेषण नहीं हुआ।`
      : `The launch peak is about ${rps(v.peakDemandRps)} requests per second, but this run’s capacity analysis did not produce an instance count.` });
  }
  if (v.maxSustainableRps !== null && !v.limitReached) {
    out.push({ tone: 'info', text: hiL
      ? `परीक्षण में दिया गया सबसे ऊँचा लोड (लगभग ${rps(v.maxSustainableRps)} अनुरोध प्रति सेकंड) एक इंस्टेंस ने लक्ष्य के भीतर संभाल लिया; उसकी सीमा इस परीक्षण में नहीं मिली, इसलिए क्षमता इससे अधिक हो सकती है और ऊपर बताई इंस्टेंस संख्या अधिकतम है। सीमा जानने के लिए capacity-test sweep चलाएँ।`
      : `One instance handled the highest load this test offered (about ${rps(v.maxSustainableRps)} requests per second) within target; its limit was not reached, so it can do at least that and the instance count above is an upper bound. Run capacity-test sweep to find the limit.` });
  } else if (v.maxSustainableRps !== null) {
    out.push({ tone: 'info', text: hiL
      ? `एक इंस्टेंस लक्ष्य के भीतर रहते हुए अधिकतम लगभग ${rps(v.maxSustainableRps)} अनुरोध प्रति सेकंड संभाल सकता है${v.kneeRps !== null ? `; लगभग ${rps(v.kneeRps)} प्रति सेकंड पर जवाब तेज़ी से धीमे होने लगते हैं` : ''}।`
      : `One instance sustains about ${rps(v.maxSustainableRps)} requests per second within target${v.kneeRps !== null ? `; beyond about ${rps(v.kneeRps)} per second answers slow down sharply` : ''}.` });
  } else if (v.bestWithinSloRps !== null) {
    out.push({ tone: 'info', text: hiL
      ? `लक्ष्य के भीतर रहते हुए सबसे अधिक मापा गया थ्रूपुट लगभग ${rps(v.bestWithinSloRps)} सफल अनुरोध प्रति सेकंड था।`
      : `The most this build served while staying within target was about ${rps(v.bestWithinSloRps)} successful requests per second.` });
  }

  // 2. What breaks first.
  const fb = v.firstBreak;
  if (fb) {
    const what = fb.reason === 'latency'
      ? (hiL ? `95% जवाबों का समय ${ms(fb.value)} तक पहुँच गया` : `95% of answers took up to ${ms(fb.value)}`)
      : (hiL ? `${formatPercent(fb.value)} अनुरोध विफल होने लगे` : `${formatPercent(fb.value)} of requests failed`);
    out.push({ tone: 'bad', text: hiL
      ? `सबसे पहले "${fb.endpoint}" टूटा: लगभग ${rps(fb.atRps)} अनुरोध प्रति सेकंड के लोड पर (${when(fb.atLabel)}) ${what}।`
      : `First to break: "${fb.endpoint}", at about ${rps(fb.atRps)} requests per second (${when(fb.atLabel)}): ${what}.` });
  } else {
    out.push({ tone: 'good', text: hiL
      ? `कुछ नहीं टूटा: परखे गए सबसे अधिक लोड (लगभग ${rps(v.maxTestedRps)} अनुरोध प्रति सेकंड) तक हर एंडपॉइंट लक्ष्य के भीतर रहा।`
      : `Nothing broke: every endpoint stayed within target up to the highest load tested, about ${rps(v.maxTestedRps)} requests per second.` });
  }

  // 3. How long people wait.
  const w = v.wait;
  if (w.p50Ms !== null && w.p95Ms !== null) {
    out.push({ tone: w.p95Ms > m.slo.p95Ms ? 'warn' : 'good', text: hiL
      ? `पूरे परीक्षण में आधे लोगों को ${ms(w.p50Ms)} के भीतर जवाब मिला, 95% को ${ms(w.p95Ms)} के भीतर${w.p99Ms !== null ? `; सबसे धीमे 1% को ${ms(w.p99Ms)} से अधिक रुकना पड़ा` : ''}।${w.busiestP95Ms !== null && w.busiestLabel ? ` सबसे भारी लोड के समय (${when(w.busiestLabel)}) 95% जवाब ${ms(w.busiestP95Ms)} के भीतर आए।` : ''}`
      : `Over the whole test half of the people got an answer within ${ms(w.p50Ms)} and 95% within ${ms(w.p95Ms)}${w.p99Ms !== null ? `; the slowest 1% waited more than ${ms(w.p99Ms)}` : ''}.${w.busiestP95Ms !== null && w.busiestLabel ? ` At the heaviest load (${when(w.busiestLabel)}) 95% of answers came within ${ms(w.busiestP95Ms)}.` : ''}` });
  }

  // 4. Is money safe.
  const mo = v.money;
  if (mo) {
    const lost = mo.discrepancyPaise ?? 0;
    const stuck = mo.stuckDebits ?? 0;
    const held = mo.heldPaise !== null ? formatPaise(mo.heldPaise, lang) : null;
    if (lost !== 0) {
      out.push({ tone: 'bad', text: hiL
        ? `पैसा सुरक्षित नहीं: खातों का मिलान ${formatPaise(lost, lang)} से नहीं बैठता (इतनी राशि गायब या अतिरिक्त है)।`
        : `Money is NOT safe: the wallets do not reconcile by ${formatPaise(lost, lang)} (money lost or created).` });
    } else if (stuck > 0) {
      out.push({ tone: 'bad', text: hiL
        ? `कोई पैसा गायब नहीं हुआ, पर ${formatCount(stuck, lang)} कटौतियाँ रिफ़ंड की समय-सीमा के बाद भी अटकी रहीं${mo.stuckPaise !== null ? ` (${formatPaise(mo.stuckPaise, lang)})` : ''}${held ? `; अंत में ${held} रोकी हुई थी` : ''}। लोगों का पैसा कटा और ऑर्डर नहीं मिला।`
        : `No money was lost, but ${formatCount(stuck, lang)} debits stayed stuck past the refund limit${mo.stuckPaise !== null ? ` (${formatPaise(mo.stuckPaise, lang)})` : ''}${held ? `; ${held} was still held at the end` : ''}. People were charged without an order.` });
    } else {
      out.push({ tone: 'good', text: hiL
        ? `पैसा सुरक्षित है: खातों का मिलान पूरा बैठता है और कोई कटौती समय-सीमा से अधिक नहीं अटकी${held ? `; अंत में ${held} स्वीकृति की प्रतीक्षा में रोकी हुई थी` : ''}।`
        : `Money is safe: the wallets reconcile to the paisa and no debit stayed stuck past the refund limit${held ? `; ${held} was held for orders awaiting acceptance at the end` : ''}.` });
    }
    if (mo.refundP95Seconds !== null) out.push({ tone: 'info', text: hiL
      ? `95% रिफ़ंड ${ms(mo.refundP95Seconds * 1000)} के भीतर लौटे।`
      : `95% of refunds came back within ${ms(mo.refundP95Seconds * 1000)}.` });
  } else {
    out.push({ tone: 'warn', text: hiL
      ? 'पैसे की जाँच नहीं हो सकी: पोर्टल का मिलान (reconcile) इस परीक्षण में नहीं पढ़ा गया।'
      : 'Money was not checked: the portal’s reconcile endpoint was not read in this run.' });
  }

  // 5. Can the figures be trusted.
  if (v.saturatedSeconds > 0) out.push({ tone: 'warn', text: hiL
    ? `लोड जनरेटर ${formatNumber(v.saturatedSeconds)} सेकंड तक तय गति से पीछे रहा; उन सेकंडों को चार्ट में धूसर दिखाया गया है और क्षमता की गणना से बाहर रखा गया है।`
    : `The load generator fell behind its schedule for ${formatNumber(v.saturatedSeconds)} seconds; those seconds are shaded grey in the charts and left out of the capacity figures.` });
  if (v.thresholds.evaluated && v.thresholds.total > 0) out.push(v.thresholds.pass
    ? { tone: 'good', text: hiL ? `सभी ${formatNumber(v.thresholds.total)} पास/फ़ेल शर्तें पूरी हुईं।` : `All ${formatNumber(v.thresholds.total)} pass/fail criteria were met.` }
    : { tone: 'bad', text: hiL ? `${formatNumber(v.thresholds.failed.length)} पास/फ़ेल शर्तें पूरी नहीं हुईं।` : `${formatNumber(v.thresholds.failed.length)} pass/fail criteria failed.` });
  return out;
}

/** The few headline figures next to the verdict: label and value, already formatted. */
export function keyFigures(m: ReportModel, lang: Lang): Array<{ label: string; value: string }> {
  const v = m.verdict;
  const hiL = lang === 'hi';
  const dash = '—';
  const rps = (x: number | null) => (x === null ? dash : formatNumber(x, x < 10 ? 1 : 0));
  const rows = [
    { label: hiL ? 'आवश्यक इंस्टेंस' : 'Instances needed', value: v.instancesForPeak === null ? dash : formatNumber(v.instancesForPeak) },
    { label: hiL ? 'चरम माँग (अनुरोध/सेकंड)' : 'Peak demand (requests/s)', value: rps(v.peakDemandRps) },
    { label: hiL ? 'एक इंस्टेंस की क्षमता (अनुरोध/सेकंड)' : 'One instance sustains (requests/s)', value: rps(v.maxSustainableRps ?? v.bestWithinSloRps) },
    { label: hiL ? '95% जवाब इतने समय में' : '95% answered within', value: v.wait.p95Ms === null ? dash : formatMs(v.wait.p95Ms, lang) },
    { label: hiL ? 'पंजीकरण' : 'Registrations', value: v.registrations === null ? dash : formatNumber(v.registrations) },
    { label: hiL ? 'ऑर्डर (दिए / स्वीकृत)' : 'Orders (placed / accepted)', value: `${v.ordersPlaced === null ? dash : formatNumber(v.ordersPlaced)} / ${v.ordersAccepted === null ? dash : formatNumber(v.ordersAccepted)}` },
    { label: hiL ? 'अटकी कटौतियाँ' : 'Debits stuck', value: v.money?.stuckDebits === null || v.money === null ? dash : formatNumber(v.money.stuckDebits!) },
    { label: hiL ? 'मिलान में अंतर' : 'Reconcile difference', value: v.money?.discrepancyPaise === null || v.money === null ? dash : formatPaise(v.money.discrepancyPaise!, lang) },
  ];
  return rows;
}
