/**
 * The words of the report's capacity analysis (table of load levels, sizing sweep, clocks), in English
 * and Hindi: one typed table, spread into i18n.ts's dictionaries, so a missing Hindi string fails to
 * compile.
 */
export const capacityEn = {
  'section.levels': 'Load levels and their verdicts',
  'levels.intro': 'Each row is a stretch of the test where the offered load held still (3 s or more). A level holds when the load generator kept its schedule, at least 95% of the offered load was achieved, and in every second p95 stayed under {p95} and errors under {err}.',
  'levels.at': 'From',
  'levels.seconds': 'Seconds (real)',
  'levels.offered': 'Offered (requests/s)',
  'levels.throughput': 'Served OK (requests/s)',
  'levels.achieved': 'Achieved',
  'levels.verdict': 'Verdict',
  'levels.held': 'held',
  'levels.failed': 'failed: {why}',
  'levels.by.saturated': 'load generator fell behind (not counted)',
  'levels.by.achieved': 'less than 95% of the offered load achieved',
  'levels.by.errors': 'error rate over target',
  'levels.by.p95': 'p95 over target',
  'levels.by.noLatency': 'no answer timed',
  'levels.achievedNote': 'Achieved: for user journeys, the share of planned arrivals that started (a journey makes its requests over the seconds after it arrives, so requests lag arrivals); for a sweep, requests completed ÷ offered.',
  'verdict.limitSweep.found': 'The replay never reached one instance’s limit, so a {seconds}-second stepped sweep of {swept} against the same portal followed it: one instance sustained about {rps} requests per second within target and failed at about {at} ({why}). The instance count above is sized on this measured limit.',
  'verdict.limitSweep.notFound': 'The replay never reached one instance’s limit, and a {seconds}-second stepped sweep of {swept} up to {to} requests per second after it did not find the limit either{why}: one instance does at least {rps} requests per second, so the instance count above is an upper bound.',
  'verdict.limitSweep.swept.journeys': 'the day’s own journeys in their peak proportions',
  'verdict.limitSweep.swept.path': '{path}',
  'verdict.limitSweep.generator': ' (the load generator reached its own limit first)',
  'verdict.limitSweep.error': ' (the sweep could not run)',
  'verdict.sustains.kneeBelow': '; answers already start slowing from about {knee} per second, still within target',
  'verdict.refunds.simulated': '95% of refunds came back within {sim} of simulated time ({real} of real time: the portal’s clock ran ×{scale}).',
  'verdict.refunds.portalClock': '95% of refunds came back within {sim} on the portal’s clock.',
} as const;

export type CapacityStringKey = keyof typeof capacityEn;

export const capacityHi: Record<CapacityStringKey, string> = {
  'section.levels': 'लोड के स्तर और उनका नतीजा',
  'levels.intro': 'हर पंक्ति परीक्षण का वह हिस्सा है जहाँ दिया गया लोड स्थिर रहा (3 सेकंड या अधिक)। कोई स्तर तब सफल माना जाता है जब लोड जनरेटर अपने समय पर चला, दिए गए लोड का कम से कम 95% पूरा हुआ, और हर सेकंड में p95 {p95} से कम और त्रुटियाँ {err} से कम रहीं।',
  'levels.at': 'शुरुआत',
  'levels.seconds': 'अवधि (वास्तविक सेकंड)',
  'levels.offered': 'दिया गया लोड (अनुरोध/सेकंड)',
  'levels.throughput': 'सफल जवाब (अनुरोध/सेकंड)',
  'levels.achieved': 'पूरा हुआ',
  'levels.verdict': 'नतीजा',
  'levels.held': 'सफल',
  'levels.failed': 'विफल: {why}',
  'levels.by.saturated': 'लोड जनरेटर पिछड़ गया (गिना नहीं गया)',
  'levels.by.achieved': 'दिए गए लोड का 95% से कम पूरा हुआ',
  'levels.by.errors': 'त्रुटि दर लक्ष्य से अधिक',
  'levels.by.p95': 'p95 लक्ष्य से अधिक',
  'levels.by.noLatency': 'किसी जवाब का समय नहीं मापा गया',
  'verdict.limitSweep.found': 'रीप्ले में एक इंस्टेंस की सीमा नहीं मिली, इसलिए उसके बाद उसी पोर्टल पर {swept} का {seconds} सेकंड का चरणबद्ध स्वीप चलाया गया: एक इंस्टेंस ने लक्ष्य के भीतर लगभग {rps} अनुरोध प्रति सेकंड संभाले और लगभग {at} पर विफल हुआ ({why})। ऊपर की इंस्टेंस संख्या इसी मापी गई सीमा पर आधारित है।',
  'verdict.limitSweep.notFound': 'रीप्ले में एक इंस्टेंस की सीमा नहीं मिली, और उसके बाद {to} अनुरोध प्रति सेकंड तक {swept} के {seconds} सेकंड के चरणबद्ध स्वीप में भी सीमा नहीं मिली{why}: एक इंस्टेंस कम से कम {rps} अनुरोध प्रति सेकंड संभालता है, इसलिए ऊपर की इंस्टेंस संख्या अधिकतम है।',
  'verdict.limitSweep.swept.journeys': 'दिन की अपनी यात्राओं (चरम समय के उनके अनुपात में)',
  'verdict.limitSweep.swept.path': '{path}',
  'verdict.limitSweep.generator': ' (लोड जनरेटर पहले अपनी सीमा पर पहुँच गया)',
  'verdict.limitSweep.error': ' (स्वीप चल नहीं सका)',
  'verdict.sustains.kneeBelow': '; लगभग {knee} प्रति सेकंड से जवाब धीमे होने लगते हैं, फिर भी लक्ष्य के भीतर रहते हैं',
  'verdict.refunds.simulated': '95% रिफ़ंड अनुकरणित समय के {sim} के भीतर लौट आए (वास्तविक समय में {real}: पोर्टल की घड़ी ×{scale} चली)।',
  'verdict.refunds.portalClock': '95% रिफ़ंड पोर्टल की घड़ी के {sim} के भीतर लौट आए।',
  'levels.achievedNote': 'पूरा हुआ: उपयोगकर्ता यात्राओं के लिए, नियोजित आगमनों में से जितने शुरू हुए उनका हिस्सा (एक यात्रा अपने अनुरोध आने के बाद के सेकंडों में भेजती है, इसलिए अनुरोध आगमन से पीछे रहते हैं); स्वीप के लिए, पूरे हुए अनुरोध ÷ दिया गया लोड।',
};
