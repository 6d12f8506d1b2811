/** A member who can be given a sequence's tasks; supplied by the app. */
export type Member = {
  id: string;
  name: string;
};
