/** A member who can be assigned restaurants; supplied by the app from the organisation's members. */
export type Rep = {
  id: string;
  name: string;
  email: string;
};
