/**
 * The words of the report's runners section (a distributed test: several load generators, one share of
 * the load each) and of their bands on the charts, in English and Hindi: one typed table, spread into
 * i18n.ts's dictionaries, so a missing Hindi string fails to compile.
 */
export const runnersEn = {
  'section.runners': 'Runners: the machines that sent the load',
  'runners.allFinished': 'This test was split across {n} runners, each a load generator sending its own share of the load; all {n} finished and wrote every second of their share.',
  'runners.notAllFinished': 'This test was split across {n} runners, each a load generator sending its own share of the load; only {f} of the {n} finished, so the figures of this report do not cover the whole test.',
  'runners.missing': 'Runner {segment} never ran: its share of the load is missing from every figure.',
  'runners.missingSeconds': 'Runner {segment} stopped before the end ({why}) and is missing {missing} s of its share ({at}): the figures of those seconds leave it out.',
  'runners.stopped': 'Runner {segment} did not finish normally ({why}); it wrote {written} s, and its last seconds may be missing.',
  'runners.why.killed': 'its process was cut off',
  'runners.why.aborted': 'it was stopped',
  'runners.saturated': 'Runner {segment}’s load generator fell behind its own schedule for {n} s ({at}; shaded grey and labelled on the charts): the load figures of those seconds are the limit of that generator, not of the portal.',
  'runners.noneSaturated': 'No runner’s load generator fell behind its schedule.',
  'runners.col.runner': 'Runner',
  'runners.col.host': 'Host (pod · address · node)',
  'runners.col.status': 'Status',
  'runners.col.seconds': 'Seconds written (of planned)',
  'runners.col.requests': 'Requests',
  'runners.col.dropped': 'Journeys dropped',
  'runners.col.scheduleLag': 'Schedule lag p99',
  'runners.col.loopLag': 'Event-loop lag p99',
  'runners.col.saturated': 'Seconds it fell behind',
  'runners.status.finished': 'finished',
  'runners.status.missingSeconds': 'missing seconds',
  'runners.status.missing': 'missing',
  'runners.secondsOf': '{w} of {p}',
  'runners.healthNote': 'Generator health: schedule lag is how late the runner started its arrivals, event-loop lag how long its own process was too busy to act. A second with a schedule lag p99 over 50 ms is the generator’s, not the portal’s.',
  'chart.runnerBand': 'runner {segment}: generator behind',
  'chart.runnerBandNote': 'Grey bands labelled with a runner: seconds where that runner’s load generator fell behind; its load figures there are the generator’s limit, not the portal’s.',
} as const;

export type RunnersStringKey = keyof typeof runnersEn;

export const runnersHi: Record<RunnersStringKey, string> = {
  'section.runners': 'रनर: लोड भेजने वाली मशीनें',
  'runners.allFinished': 'यह परीक्षण {n} रनर में बँटा था — हर रनर एक लोड जनरेटर है जो लोड का अपना हिस्सा भेजता है; सभी {n} रनर पूरे चले और अपने हिस्से का हर सेकंड दर्ज किया।',
  'runners.notAllFinished': 'यह परीक्षण {n} रनर में बँटा था — हर रनर एक लोड जनरेटर है जो लोड का अपना हिस्सा भेजता है; {n} में से केवल {f} रनर पूरे चले, इसलिए इस रिपोर्ट के आँकड़े पूरे परीक्षण के नहीं हैं।',
  'runners.missing': 'रनर {segment} चला ही नहीं: लोड का उसका हिस्सा किसी भी आँकड़े में शामिल नहीं है।',
  'runners.missingSeconds': 'रनर {segment} अंत से पहले रुक गया ({why}) और उसके हिस्से के {missing} सेकंड दर्ज नहीं हुए ({at}): उन सेकंडों के आँकड़ों में वह शामिल नहीं है।',
  'runners.stopped': 'रनर {segment} सामान्य रूप से पूरा नहीं चला ({why}); उसने {written} सेकंड दर्ज किए, और उसके आख़िरी सेकंड छूटे हो सकते हैं।',
  'runners.why.killed': 'उसकी प्रक्रिया बीच में ही बंद हो गई',
  'runners.why.aborted': 'उसे रोक दिया गया',
  'runners.saturated': 'रनर {segment} का लोड जनरेटर {n} सेकंड तक अपनी ही समय-सारणी से पिछड़ा ({at}; चार्टों पर धूसर पट्टी में, उसके नाम के साथ): उन सेकंडों के लोड के आँकड़े उस जनरेटर की सीमा बताते हैं, पोर्टल की नहीं।',
  'runners.noneSaturated': 'किसी भी रनर का लोड जनरेटर अपनी समय-सारणी से नहीं पिछड़ा।',
  'runners.col.runner': 'रनर',
  'runners.col.host': 'मशीन (पॉड · पता · नोड)',
  'runners.col.status': 'स्थिति',
  'runners.col.seconds': 'दर्ज सेकंड (नियोजित में से)',
  'runners.col.requests': 'अनुरोध',
  'runners.col.dropped': 'छोड़ी गई यात्राएँ',
  'runners.col.scheduleLag': 'समय-सारणी देरी p99',
  'runners.col.loopLag': 'इवेंट-लूप देरी p99',
  'runners.col.saturated': 'जितने सेकंड पिछड़ा',
  'runners.status.finished': 'पूरा चला',
  'runners.status.missingSeconds': 'कुछ सेकंड छूटे',
  'runners.status.missing': 'नहीं चला',
  'runners.secondsOf': '{p} में से {w}',
  'runners.healthNote': 'जनरेटर की सेहत: समय-सारणी देरी बताती है कि रनर ने आगमन कितनी देर से शुरू किए, और इवेंट-लूप देरी कि उसकी अपनी प्रक्रिया कितनी देर काम करने में व्यस्त रही। जिस सेकंड में समय-सारणी देरी p99 50 मिलीसेकंड से ऊपर हो, वह सेकंड जनरेटर का है, पोर्टल का नहीं।',
  'chart.runnerBand': 'रनर {segment}: जनरेटर पिछड़ा',
  'chart.runnerBandNote': 'किसी रनर के नाम वाली धूसर पट्टियाँ: वे सेकंड जिनमें उस रनर का लोड जनरेटर पिछड़ गया; वहाँ उसके लोड के आँकड़े जनरेटर की सीमा हैं, पोर्टल की नहीं।',
};
