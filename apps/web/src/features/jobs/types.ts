// What the jobs pages need from other parts of the app; the route supplies them (features
// don't import each other).

export type WorkflowOption = { id: string; name: string; key: string };

export type MemberOption = { id: string; name: string };
