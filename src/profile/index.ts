/** The traffic model: business figures → arrivals per minute per journey → ramping-arrival-rate stages. Pure. */
export { isProfileKey, sourceKind, type SourceKind } from './source-kind.js';
export { DEFAULTS, SOURCE_SECTIONS, sourceSection, JOURNEYS, type Journey, type Param, type ProfileValues, type ResolvedProfile } from './defaults.js';
export { parseFigure, parseCount, parseClock, formatClock } from './figures.js';
export { ProfileInputSchema, parseProfileInput, parseProfileJson, resolveProfile, type ProfileInput, type Resolved } from './schema.js';
export { shapedCurve, measuredCurve, measuredCurves, apportion, type Curve } from './curve.js';
export { dayModel, callsPerJourney, journeyTotals, valuesOf, type DayModel, type MinuteRow } from './model.js';
export { minutesToStages, stagesIntegral, stagesDurationMs, formatDuration, parseStageDuration, TIME_UNIT, type StagePlan } from './stages.js';
export { launchDayPlan, modelOf, SCENARIO_OF, MACHINE_BUDGET, type LaunchDayPlan, type PlanInput } from './plan.js';
export { dayStages, journeyStages, type DayStages, type DayStagesInput } from './day-stages.js';
export { SLO, sloThresholds } from './slo.js';
export { parseAccessLog, routeOf, isIdSegment, statusClass, readLogTime, logFormat, type LogLine, type LogFormat, type ParsedLog, type StatusClass } from './access-log.js';
export { logToProfile, fromLogNotes, REFERENCE_JOURNEY_ROUTES, type FromLog } from './from-log.js';
export { spikeShape, spikeSentence, type SpikeShape } from './spike.js';
export { parseProfileText, readProfileFile } from './text.js';
export { FaultInputSchema, faultTimeline, type FaultInput, type FaultKind, type FaultStep, type FaultsBody } from './faults.js';
