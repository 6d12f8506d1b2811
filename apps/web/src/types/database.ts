// TEMPORARY: hand-written from docs/schema-contract.md in the shape `supabase gen types`
// produces, until packages/db exports the generated Database. Replace this file's body
// with `export type { Database, Tables } from '@forkflow/db';` when it does.

export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

type Timestamps = { created_at: string; updated_at: string };

export type Database = {
  __InternalSupabase: { PostgrestVersion: '12' };
  public: {
    Tables: {
      organisations: {
        Row: { id: string; name: string } & Timestamps;
        Insert: { id?: string; name: string; created_at?: string; updated_at?: string };
        Update: { id?: string; name?: string; created_at?: string; updated_at?: string };
        Relationships: [];
      };
      profiles: {
        Row: { id: string; email: string; full_name: string; avatar_url: string | null } & Timestamps;
        Insert: {
          id: string;
          email: string;
          full_name?: string;
          avatar_url?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Update: {
          id?: string;
          email?: string;
          full_name?: string;
          avatar_url?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Relationships: [];
      };
      organisation_members: {
        Row: { organisation_id: string; user_id: string; role: string; created_at: string };
        Insert: { organisation_id: string; user_id: string; role?: string; created_at?: string };
        Update: { organisation_id?: string; user_id?: string; role?: string; created_at?: string };
        Relationships: [
          {
            foreignKeyName: 'organisation_members_organisation_id_fkey';
            columns: ['organisation_id'];
            isOneToOne: false;
            referencedRelation: 'organisations';
            referencedColumns: ['id'];
          },
          {
            foreignKeyName: 'organisation_members_user_id_fkey';
            columns: ['user_id'];
            isOneToOne: false;
            referencedRelation: 'profiles';
            referencedColumns: ['id'];
          },
        ];
      };
      restaurants: {
        Row: {
          id: string;
          organisation_id: string;
          name: string;
          contact_name: string | null;
          contact_email: string | null;
          contact_phone: string | null;
          website: string | null;
          address: string | null;
          city: string | null;
          cuisine: string | null;
          lead_stage: string;
          lead_warmth: string;
          lead_status: string;
          assigned_sales_rep: string | null;
          notes: string | null;
          metadata: Json;
          search: unknown;
          created_by: string | null;
        } & Timestamps;
        Insert: {
          id?: string;
          organisation_id: string;
          name: string;
          contact_name?: string | null;
          contact_email?: string | null;
          contact_phone?: string | null;
          website?: string | null;
          address?: string | null;
          city?: string | null;
          cuisine?: string | null;
          lead_stage?: string;
          lead_warmth?: string;
          lead_status?: string;
          assigned_sales_rep?: string | null;
          notes?: string | null;
          metadata?: Json;
          created_by?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Update: {
          id?: string;
          organisation_id?: string;
          name?: string;
          contact_name?: string | null;
          contact_email?: string | null;
          contact_phone?: string | null;
          website?: string | null;
          address?: string | null;
          city?: string | null;
          cuisine?: string | null;
          lead_stage?: string;
          lead_warmth?: string;
          lead_status?: string;
          assigned_sales_rep?: string | null;
          notes?: string | null;
          metadata?: Json;
          created_by?: string | null;
          created_at?: string;
          updated_at?: string;
        };
        Relationships: [
          {
            foreignKeyName: 'restaurants_organisation_id_fkey';
            columns: ['organisation_id'];
            isOneToOne: false;
            referencedRelation: 'organisations';
            referencedColumns: ['id'];
          },
          {
            foreignKeyName: 'restaurants_assigned_sales_rep_fkey';
            columns: ['assigned_sales_rep'];
            isOneToOne: false;
            referencedRelation: 'profiles';
            referencedColumns: ['id'];
          },
          {
            foreignKeyName: 'restaurants_created_by_fkey';
            columns: ['created_by'];
            isOneToOne: false;
            referencedRelation: 'profiles';
            referencedColumns: ['id'];
          },
        ];
      };
    };
    Views: { [_ in never]: never };
    Functions: {
      create_organisation: {
        Args: { p_name: string };
        Returns: { id: string; name: string; created_at: string; updated_at: string };
      };
      add_organisation_member: {
        Args: { p_organisation_id: string; p_email: string; p_role?: string };
        Returns: { organisation_id: string; user_id: string; role: string; created_at: string };
      };
    };
    Enums: { [_ in never]: never };
    CompositeTypes: { [_ in never]: never };
  };
};

export type Tables<T extends keyof Database['public']['Tables']> = Database['public']['Tables'][T]['Row'];
