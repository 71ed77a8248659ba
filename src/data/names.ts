/**
 * Names in Devanagari script: faker has no Hindi locale, so a small list of our own (common in
 * Chhattisgarh: Sahu, Verma, Yadav, Dewangan, Chandrakar, Netam, Markam, Dhruw…).
 */
export const DEVANAGARI_FIRST_NAMES = [
  'राहुल', 'प्रिया', 'अमित', 'सुनीता', 'विकास', 'पूजा', 'संजय', 'अनीता', 'राजेश', 'कविता', 'दीपक', 'रेखा',
  'मनोज', 'सीमा', 'अजय', 'नेहा', 'सुरेश', 'ममता', 'रमेश', 'गीता', 'भूपेश', 'लक्ष्मी', 'धनंजय', 'सरिता',
  'गोविंद', 'उमा', 'हेमंत', 'रश्मि', 'नरेंद्र', 'किरण',
] as const;

export const DEVANAGARI_LAST_NAMES = [
  'साहू', 'वर्मा', 'यादव', 'सिंह', 'शर्मा', 'पटेल', 'ठाकुर', 'देवांगन', 'चंद्राकर', 'बघेल', 'कश्यप', 'नेताम',
  'मरकाम', 'ध्रुव', 'सोनवानी', 'टंडन', 'गुप्ता', 'अग्रवाल', 'तिवारी', 'पांडेय',
] as const;

/** Latin-script fallbacks for scenarios run without a data file (faker stays out of scenario bundles). */
export const LATIN_FIRST_NAMES = [
  'Rahul', 'Priya', 'Amit', 'Sunita', 'Vikas', 'Pooja', 'Sanjay', 'Anita', 'Rajesh', 'Kavita', 'Deepak', 'Rekha',
  'Manoj', 'Seema', 'Ajay', 'Neha', 'Suresh', 'Mamta', 'Ramesh', 'Geeta',
] as const;
export const LATIN_LAST_NAMES = [
  'Sahu', 'Verma', 'Yadav', 'Singh', 'Sharma', 'Patel', 'Thakur', 'Dewangan', 'Chandrakar', 'Baghel', 'Kashyap',
  'Netam', 'Markam', 'Dhruw', 'Sonwani', 'Tandon', 'Gupta', 'Agrawal', 'Tiwari', 'Pandey',
] as const;
