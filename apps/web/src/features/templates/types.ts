/** A member of the organisation, as message previews need them (supplied by the app). */
export type Rep = {
  id: string;
  name: string;
  email: string;
};
